using EdgeRuntime.Quantization;

namespace EdgeRuntime.Embeddings;

/// <summary>Which precision is configured and which runs, why, and the quantization run behind an int8 model.</summary>
/// <param name="Configured">The <c>Backbone:Precision</c> setting.</param>
/// <param name="Active">Fp32 or Int8.</param>
/// <param name="Reason">Why the active precision is not the configured one, or the last problem; null when none.</param>
/// <param name="Quantization">Calibration set and parity figures of the int8 model (active, or refused), if any.</param>
public sealed record PrecisionStatus(BackbonePrecision Configured, BackbonePrecision Active, string? Reason, QuantizationReport? Quantization)
{
    public static PrecisionStatus Fp32(BackbonePrecision configured, string? reason = null, QuantizationReport? quantization = null) =>
        new(configured, BackbonePrecision.Fp32, reason, quantization);
}
