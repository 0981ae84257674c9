using EdgeRuntime.Evaluation;
using EdgeRuntime.Training;

namespace EdgeRuntime.Calibration;

/// <summary>What a training run produced and what the gate made of it.</summary>
public sealed record TrainingOutcome(
    int Version,
    ClassificationMetrics Metrics,
    int? ActiveVersion,
    ClassificationMetrics? ActiveMetrics,
    GateDecision Gate,
    bool Activated,
    double UnknownThreshold,
    int TrainSamples,
    int HoldoutSamples,
    IReadOnlyList<TrainingProgress> History);
