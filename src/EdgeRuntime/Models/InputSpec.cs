namespace EdgeRuntime.Models;

/// <summary>
/// The image tensor the model consumes. A pixel value v (0..255) of channel c becomes (v * Scale - Mean[c]) / Std[c].
/// With a preprocessing graph this describes the graph's input (ResNetPreprocess: RGB, 0..255, no scaling).
/// </summary>
public sealed class InputSpec
{
    /// <summary>Name of the backbone's image input.</summary>
    public string Name { get; set; } = "";

    public int Width { get; set; }

    public int Height { get; set; }

    public TensorLayout Layout { get; set; } = TensorLayout.Nchw;

    public ChannelOrder ChannelOrder { get; set; } = ChannelOrder.Rgb;

    public float Scale { get; set; } = 1f;

    public float[] Mean { get; set; } = [0f, 0f, 0f];

    public float[] Std { get; set; } = [1f, 1f, 1f];

    /// <summary>Elements of one image tensor (3 x Height x Width).</summary>
    public int ElementCount => 3 * Width * Height;
}
