using EdgeRuntime.Evaluation;
using EdgeRuntime.Heads;
using EdgeRuntime.Training;

namespace EdgeRuntime.Calibration;

/// <summary>
/// What a training run produced and what the gate made of it. <see cref="Metrics"/> are the candidate's
/// cross-validation (out-of-fold) metrics on every training sample, null for an instant head; <see cref="Recipe"/>
/// says how it was made and its CV estimate.
/// </summary>
public sealed record TrainingOutcome(
    int Version,
    ClassificationMetrics? Metrics,
    int? ActiveVersion,
    ClassificationMetrics? ActiveMetrics,
    GateDecision Gate,
    bool Activated,
    double UnknownThreshold,
    int TrainSamples,
    int HoldoutSamples,
    IReadOnlyList<TrainingProgress> History)
{
    public HeadRecipe? Recipe { get; init; }

    /// <summary>The deployed head on the explicit holdout (<c>Calibration:ExplicitHoldout</c>); null without one.</summary>
    public ClassificationMetrics? ExplicitHoldoutMetrics { get; init; }
}
