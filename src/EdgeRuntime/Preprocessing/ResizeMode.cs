namespace EdgeRuntime.Preprocessing;

/// <summary>How a frame of another aspect ratio is fitted to the model's input.</summary>
public enum ResizeMode
{
    /// <summary>Scale the short side to fit and cut the centre: no padding, the edges are lost.</summary>
    CenterCrop,

    /// <summary>Scale the long side to fit and pad the rest with black: nothing is lost, the object gets smaller.</summary>
    Letterbox,
}
