using EdgeRuntime.Calibration;
using EdgeRuntime.Training;

namespace DeviceHost.Calibration;

/// <summary>One training run requested over the API or GPIO; progress and result are read while it runs. Thread-safe.</summary>
public sealed class TrainingJob(string id, TrainRequest request, DateTimeOffset queuedAt, string? followUpOf = null)
{
    private readonly List<TrainingProgress> _epochs = [];
    private readonly Lock _gate = new();

    public string Id { get; } = id;

    public TrainRequest Request { get; } = request;

    public DateTimeOffset QueuedAt { get; } = queuedAt;

    public TrainingJobState State { get; private set; } = TrainingJobState.Queued;

    public DateTimeOffset? StartedAt { get; private set; }

    public DateTimeOffset? FinishedAt { get; private set; }

    public TrainingOutcome? Outcome { get; private set; }

    public string? Error { get; private set; }

    /// <summary>The instant job this full training follows up (<see cref="InstantFollowUp.FullTraining"/>), or null when someone asked for it.</summary>
    public string? FollowUpOf { get; } = followUpOf;

    /// <summary>The full training started after this job's instant head was activated, or null.</summary>
    public string? FollowUpJobId { get; private set; }

    /// <summary>Why no full training followed this job's activated instant head (e.g. a class with a single sample), or null.</summary>
    public string? FollowUpSkipped { get; private set; }

    public IReadOnlyList<TrainingProgress> Epochs
    {
        get
        {
            lock (_gate)
            {
                return [.. _epochs];
            }
        }
    }

    internal void Start(DateTimeOffset now)
    {
        lock (_gate)
        {
            State = TrainingJobState.Running;
            StartedAt = now;
        }
    }

    internal void Report(TrainingProgress progress)
    {
        lock (_gate)
        {
            _epochs.Add(progress);
        }
    }

    internal void FollowedBy(string? jobId, string? skipped)
    {
        lock (_gate)
        {
            (FollowUpJobId, FollowUpSkipped) = (jobId, skipped);
        }
    }

    internal void Finish(DateTimeOffset now, TrainingOutcome? outcome, string? error, bool cancelled)
    {
        lock (_gate)
        {
            Outcome = outcome;
            Error = error;
            FinishedAt = now;
            State = cancelled ? TrainingJobState.Cancelled : outcome is not null ? TrainingJobState.Succeeded : TrainingJobState.Failed;
        }
    }
}
