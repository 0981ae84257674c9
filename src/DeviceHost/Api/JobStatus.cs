using DeviceHost.Calibration;
using EdgeRuntime.Training;

namespace DeviceHost.Api;

/// <summary>A training job as GET /jobs/{id} and GET /jobs/current show it (docs/http-api.md).</summary>
/// <param name="Epochs">The softmax fits' epochs of every fold and of the refit, in order.</param>
/// <param name="FollowUpOf">The instant job this full training follows; null otherwise.</param>
/// <param name="FollowUpJobId">The full training this (instant) job started; null otherwise.</param>
/// <param name="FollowUpSkipped">Why an activated instant head was not followed by a full training; null otherwise.</param>
public sealed record JobStatus(
    string Id,
    TrainingJobState State,
    DateTimeOffset QueuedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    IReadOnlyList<TrainingProgress> Epochs,
    JobResult? Result,
    string? Error,
    string? FollowUpOf,
    string? FollowUpJobId,
    string? FollowUpSkipped)
{
    public static JobStatus From(TrainingJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new JobStatus(job.Id, job.State, job.QueuedAt, job.StartedAt, job.FinishedAt, job.Epochs,
            job.Outcome is { } outcome ? JobResult.From(outcome) : null, job.Error, job.FollowUpOf, job.FollowUpJobId, job.FollowUpSkipped);
    }
}
