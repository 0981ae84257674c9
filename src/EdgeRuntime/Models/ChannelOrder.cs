namespace EdgeRuntime.Models;

/// <summary>Order of the three colour planes the model expects.</summary>
public enum ChannelOrder
{
    Rgb,
    Bgr,
}
