using EdgeRuntime.Features;

namespace EdgeRuntime.Fleet;

/// <summary>
/// One device's answer to a <see cref="MomentsRequest"/> (schema 1), signed with the device's own key: statistics
/// of its samples' embeddings, never an image or an embedding. Float64 arrays travel as little-endian bytes (base64
/// in JSON) so they arrive bit-exact.
/// </summary>
public sealed record MomentsReport
{
    public int Schema { get; init; } = 1;

    public required string RequestId { get; init; }

    public required string Stage { get; init; }

    public required string DeviceId { get; init; }

    public required string BackboneHash { get; init; }

    public required int Dimension { get; init; }

    public required FeatureTransformKind Transform { get; init; }

    /// <summary>The device's classes, in the order of <see cref="Counts"/> and the rows of <see cref="Sums"/>.</summary>
    public required IReadOnlyList<string> Labels { get; init; }

    /// <summary>Original (not augmented) samples per class.</summary>
    public required long[] Counts { get; init; }

    /// <summary>Reference-mean stage: Σ of prepared embeddings (D float64).</summary>
    public byte[]? PreparedSum { get; init; }

    /// <summary>Moments stage: per class Σ of transformed features (K × D float64).</summary>
    public byte[]? Sums { get; init; }

    /// <summary>Moments stage: Σ f·fᵀ over all samples (D × D float64).</summary>
    public byte[]? Scatter { get; init; }

    /// <summary>Moments stage: the reference mean the moments were taken under (echo of the request).</summary>
    public float[]? ReferenceMean { get; init; }

    internal static byte[] Pack(ReadOnlySpan<double> values) => System.Runtime.InteropServices.MemoryMarshal.AsBytes(values).ToArray();

    internal static double[] Unpack(byte[]? bytes, int expected, string what)
    {
        if (bytes is null || bytes.Length != expected * sizeof(double))
        {
            throw new FleetMessageRefusedException(FleetRefusal.Invalid, $"Moments field {what} has {bytes?.Length ?? 0} bytes, not {expected * sizeof(double)}.");
        }

        return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(bytes).ToArray();
    }
}
