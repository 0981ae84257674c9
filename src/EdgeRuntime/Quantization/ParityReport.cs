namespace EdgeRuntime.Quantization;

/// <summary>How closely one int8 candidate reproduces the fp32 backbone on held-back images.</summary>
/// <param name="Method">Calibration method of the candidate.</param>
/// <param name="Images">Held-back images compared.</param>
/// <param name="MedianCosine">Median cosine similarity of int8 vs fp32 embeddings (target >= 0.99).</param>
/// <param name="MinimumCosine">Worst image.</param>
/// <param name="HeadAgreement">Share of images on which the active head picks the same class from both; null without a head.</param>
/// <param name="HeadVersion">Version of the head that was compared, if any.</param>
/// <param name="Passed">Both thresholds met.</param>
/// <param name="Failure">Why not, when not.</param>
public sealed record ParityReport(
    CalibrationMethod Method,
    int Images,
    double MedianCosine,
    double MinimumCosine,
    double? HeadAgreement,
    int? HeadVersion,
    bool Passed,
    string? Failure)
{
    /// <summary>How the candidate's Conv weights were stored.</summary>
    public WeightEncoding Weights { get; init; } = WeightEncoding.Int8;
}
