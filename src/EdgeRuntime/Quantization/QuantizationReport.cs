namespace EdgeRuntime.Quantization;

/// <summary>What a quantization run did and found: stored next to the cached model and shown by info, /status and metrics.</summary>
/// <param name="BackboneHash">The fp32 backbone the model was made from.</param>
/// <param name="CalibrationFingerprint">SHA-256 over the calibration images' content hashes.</param>
/// <param name="CalibrationOrigin">"samples" (stored samples) or "live" (frames from the source).</param>
/// <param name="CalibrationImages">Images whose activations set the scales.</param>
/// <param name="HeldBackImages">Images kept out of calibration for the parity check.</param>
/// <param name="Chosen">The calibration method kept (the better parity of the two).</param>
/// <param name="Candidates">Parity of every method tried.</param>
/// <param name="Passed">The chosen candidate passed the parity check.</param>
/// <param name="Reason">Why the int8 model is not used, when it is not.</param>
/// <param name="Seconds">Wall time of the run.</param>
/// <param name="CreatedAt">When it ran.</param>
public sealed record QuantizationReport(
    string BackboneHash,
    string CalibrationFingerprint,
    string CalibrationOrigin,
    int CalibrationImages,
    int HeldBackImages,
    CalibrationMethod Chosen,
    IReadOnlyList<ParityReport> Candidates,
    bool Passed,
    string? Reason,
    double Seconds,
    DateTimeOffset CreatedAt)
{
    /// <summary>The weight encoding of the chosen candidate (the fastest one that passed, <see cref="WeightRange"/>).</summary>
    public WeightEncoding Weights { get; init; } = WeightEncoding.Int8;

    /// <summary>Parity of the chosen candidate.</summary>
    public ParityReport Parity => Candidates.FirstOrDefault(c => c.Method == Chosen && c.Weights == Weights) ?? Candidates.First(c => c.Method == Chosen);
}
