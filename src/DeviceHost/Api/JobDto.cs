using System.Globalization;
using DeviceHost.Calibration;

namespace DeviceHost.Api;

/// <summary>A training job as GET /jobs/{id} shows it.</summary>
public static class JobDto
{
    public static object From(TrainingJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var outcome = job.Outcome;
        return new
        {
            job.Id,
            job.State,
            job.QueuedAt,
            job.StartedAt,
            job.FinishedAt,
            epochs = job.Epochs,
            result = outcome is null ? null : new
            {
                outcome.Version,
                outcome.Metrics,
                outcome.ActiveVersion,
                outcome.ActiveMetrics,
                gate = new { outcome = outcome.Activated ? "activated" : "kept", outcome.Gate.Reason, outcome.Gate.Forced },
                outcome.Activated,
                outcome.UnknownThreshold,
                outcome.TrainSamples,
                outcome.HoldoutSamples,
                recipe = outcome.Recipe is { } r ? new { r.Description, r.Family, r.FeatureTransform, r.WeightDecay, r.Shrinkage, r.Views, r.Instant, r.TrainSamples, r.AugmentedRows, r.CrossValidationAccuracy, r.CrossValidationStandardError, r.Folds, r.Seed, r.NoEstimateReason } : null,
                outcome.ExplicitHoldoutMetrics,
                reportUrl = string.Create(CultureInfo.InvariantCulture, $"/heads/{outcome.Version}/report"),
            },
            job.Error,
            job.FollowUpOf,
            job.FollowUpJobId,
            job.FollowUpSkipped,
        };
    }
}
