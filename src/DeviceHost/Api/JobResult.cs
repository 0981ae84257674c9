using System.Globalization;
using EdgeRuntime.Calibration;
using EdgeRuntime.Evaluation;

namespace DeviceHost.Api;

/// <summary>What a finished training job produced.</summary>
/// <param name="Metrics">The new head's out-of-fold cross-validation metrics; null for an instant head.</param>
/// <param name="ActiveMetrics">The active head's, on the same unseen data (docs/few-shot-heads.md).</param>
public sealed record JobResult(
    int Version,
    ClassificationMetrics? Metrics,
    int? ActiveVersion,
    ClassificationMetrics? ActiveMetrics,
    GateSummary Gate,
    bool Activated,
    double UnknownThreshold,
    int TrainSamples,
    int HoldoutSamples,
    JobRecipe? Recipe,
    ClassificationMetrics? ExplicitHoldoutMetrics,
    string ReportUrl)
{
    public static JobResult From(TrainingOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return new JobResult(
            outcome.Version,
            outcome.Metrics,
            outcome.ActiveVersion,
            outcome.ActiveMetrics,
            new GateSummary(outcome.Activated ? "activated" : "kept", outcome.Gate.Reason, outcome.Gate.Forced),
            outcome.Activated,
            outcome.UnknownThreshold,
            outcome.TrainSamples,
            outcome.HoldoutSamples,
            JobRecipe.From(outcome.Recipe),
            outcome.ExplicitHoldoutMetrics,
            string.Create(CultureInfo.InvariantCulture, $"/heads/{outcome.Version}/report"));
    }
}
