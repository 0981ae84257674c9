namespace EdgeRuntime.Models;

/// <summary>Memory layout of the image tensor: planar (PyTorch, CNTK) or interleaved (TensorFlow exports).</summary>
public enum TensorLayout
{
    Nchw,
    Nhwc,
}
