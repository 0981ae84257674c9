using EdgeRuntime.Preprocessing;
using EdgeRuntime.Quantization;

namespace EdgeRuntime.Embeddings;

/// <summary>Which backbone to load and how frames are fitted to it. Bound from <c>EdgeRuntime:Backbone</c>.</summary>
public sealed class BackboneOptions
{
    /// <summary>Manifest file; null or empty means the embedded ResNet-18 default.</summary>
    public string? ManifestPath { get; set; }

    public ResizeMode Resize { get; set; } = ResizeMode.CenterCrop;

    /// <summary>Largest batch sent to the backbone at once; bigger requests are split.</summary>
    public int MaxBatchSize { get; set; } = 8;

    /// <summary>Fp32, Int8 or Auto (see <see cref="BackbonePrecision"/>).</summary>
    public BackbonePrecision Precision { get; set; } = BackbonePrecision.Fp32;

    /// <summary>Calibration and parity settings for Int8 and Auto.</summary>
    public QuantizationOptions Quantization { get; set; } = new();

    /// <summary>Returns the first problem, naming the key, or null.</summary>
    public string? Validate()
    {
        if (MaxBatchSize is < 1 or > 256)
        {
            return $"Backbone:MaxBatchSize must be 1..256, not {MaxBatchSize}.";
        }

        if (!Enum.IsDefined(Precision))
        {
            return $"Backbone:Precision must be Fp32, Int8 or Auto, not {(int)Precision}.";
        }

        if (Quantization.Validate() is { } quantization)
        {
            return quantization;
        }

        if (ManifestPath is { Length: > 0 } path && !File.Exists(path))
        {
            return $"Backbone:ManifestPath '{path}' does not exist.";
        }

        return null;
    }
}
