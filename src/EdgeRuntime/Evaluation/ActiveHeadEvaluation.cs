namespace EdgeRuntime.Evaluation;

/// <summary>
/// The active head's metrics measured by the caller on the SAME holdout samples as the candidate. Samples whose true
/// class the active head does not know are left out (they cannot be expressed in its label space); the gate then
/// compares on the classes both heads share.
/// </summary>
/// <param name="Version">The active head's registry version.</param>
/// <param name="Metrics">Its metrics on the holdout set, labels indexed by its own class names.</param>
public sealed record ActiveHeadEvaluation(int Version, ClassificationMetrics Metrics);
