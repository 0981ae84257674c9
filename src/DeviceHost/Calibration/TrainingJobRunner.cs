using EdgeRuntime;
using EdgeRuntime.Calibration;
using EdgeRuntime.Interop;
using EdgeRuntime.Training;
using Microsoft.Extensions.Options;

namespace DeviceHost.Calibration;

/// <summary>
/// Runs one training job at a time on a dedicated low-priority thread so the frame loop keeps its cores; keeps the
/// jobs of this process for GET /jobs. Stopping the host cancels a running job and waits for it to leave the store
/// consistent (training writes nothing until the head is complete). A job that activated an instant head is followed,
/// when the runner is free, by a full training job (<see cref="TrainingJobOptions.InstantFollowUp"/>).
/// </summary>
public sealed partial class TrainingJobRunner(CalibrationService calibration, TimeProvider time, IOptions<TrainingJobOptions> options, ILogger<TrainingJobRunner> logger) : IHostedService, IDisposable
{
    /// <summary>Finished jobs kept for GET /jobs/{id}; older ones are forgotten (their heads stay in the registry).</summary>
    public const int KeptJobs = 50;

    private readonly Dictionary<string, TrainingJob> _jobs = new(StringComparer.Ordinal);
    private readonly Queue<string> _finished = new();
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();

    // Started here, at the service's priority, so a head activated from the nice-10 training thread gets ONNX Runtime
    // session threads that serve live inference at the inference loop's priority, not training's.
    private readonly DedicatedThread _activation = new("head-activation", nice: 0);
    private Thread? _thread;
    private TrainingJob? _current;
    private TrainingJob? _last;

    public TrainingJob? Current
    {
        get
        {
            lock (_gate)
            {
                return _current ?? _last;
            }
        }
    }

    public TrainingJob? Find(string id)
    {
        lock (_gate)
        {
            return _jobs.GetValueOrDefault(id);
        }
    }

    /// <summary>Starts a job.</summary>
    /// <exception cref="TrainingInProgressException">A job is running.</exception>
    /// <exception cref="NotEnoughSamplesException">The samples cannot train a head (<see cref="TrainingReadiness"/>); the message says why.</exception>
    public TrainingJob Start(TrainRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Problem() is { } invalid)
        {
            throw new EdgeRuntimeException(invalid);
        }

        if (calibration.Workspace.TrainingProblem() is { } problem)
        {
            throw new NotEnoughSamplesException(problem);
        }

        lock (_gate)
        {
            if (_current is not null)
            {
                throw new TrainingInProgressException($"Training job {_current.Id} is still running; wait for it to finish.");
            }

            return StartLocked(request, followUpOf: null);
        }
    }

    private TrainingJob StartLocked(TrainRequest request, string? followUpOf)
    {
        var job = new TrainingJob(Guid.NewGuid().ToString("n")[..12], request, time.GetUtcNow(), followUpOf);
        _jobs[job.Id] = job;
        _current = job;
        _thread = new Thread(() => Run(job)) { IsBackground = true, Name = "head-training" };
        _thread.Start();
        return job;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        Thread? thread;
        lock (_gate)
        {
            thread = _thread;
        }

        if (thread is null)
        {
            return;
        }

        // Training checks for cancellation before every minibatch, so this normally returns within milliseconds; a
        // head being written is waited for as long as the host's shutdown allows, never a fixed guess.
        var finished = Task.Factory.StartNew(thread.Join, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            await finished.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            LogStopTimedOut();
        }
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _activation.Dispose();
    }

    private void Run(TrainingJob job)
    {
        if (!LinuxThreadPriority.TryLowerCurrentThread(LinuxThreadPriority.BackgroundNice))
        {
            LogPriorityNotLowered();
        }

        job.Start(time.GetUtcNow());
        TrainingOutcome? outcome = null;
        string? error = null;
        var cancelled = false;
        try
        {
            outcome = calibration.Workspace.Train(job.Request, new JobProgress(job), _stopping.Token);

            // The frame loop runs the new head before the job reads as finished, so a client that saw "succeeded,
            // activated" never gets a prediction from the old head afterwards.
            if (outcome.Activated)
            {
                _activation.Invoke(calibration.ReloadActiveHead);
            }
        }
        catch (OperationCanceledException)
        {
            (error, cancelled) = ("Cancelled because the service is stopping.", true);
        }
        catch (Exception ex) when (ex is EdgeRuntimeException or IOException)
        {
            error = ex.Message;
            LogJobFailed(job.Id, ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A bug or a native failure: the job fails and says so, but an exception escaping this thread would end
            // the whole service (camera, API) over one calibration attempt.
            error = $"Training failed unexpectedly: {ex.Message}";
            LogJobCrashed(ex, job.Id);
        }
        finally
        {
            Hand(job, outcome, error, cancelled);
        }
    }

    /// <summary>
    /// Finishes <paramref name="job"/> and, when it activated an instant head, starts the full training in the same
    /// step: a client that sees the instant job succeed already sees its follow-up, and no request slips in between.
    /// </summary>
    private void Hand(TrainingJob job, TrainingOutcome? outcome, string? error, bool cancelled)
    {
        var followUp = outcome is { Activated: true, Recipe.Instant: true } && options.Value.InstantFollowUp == InstantFollowUp.FullTraining;
        string? skipped = null;
        if (followUp)
        {
            try
            {
                skipped = calibration.Workspace.CrossValidationProblem();
            }
            catch (Exception ex) when (ex is EdgeRuntimeException or IOException)
            {
                skipped = ex.Message;
            }
        }

        lock (_gate)
        {
            _current = null;
            TrainingJob? next = null;
            if (followUp && skipped is null)
            {
                if (_stopping.IsCancellationRequested)
                {
                    skipped = "the service is stopping";
                }
                else
                {
                    next = StartLocked(new TrainRequest { Source = job.Request.Source, User = job.Request.User, Note = $"full training after instant head v{outcome!.Version}" }, job.Id);
                    LogFollowUp(next.Id, job.Id, outcome.Version);
                }
            }

            if (skipped is not null)
            {
                LogFollowUpSkipped(job.Id, skipped);
            }

            job.FollowedBy(next?.Id, skipped);
            job.Finish(time.GetUtcNow(), outcome, error, cancelled);
            _last = job;
            _finished.Enqueue(job.Id);
            while (_finished.Count > KeptJobs)
            {
                _jobs.Remove(_finished.Dequeue());
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not lower the training thread's priority; training competes with inference")]
    private partial void LogPriorityNotLowered();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shutdown did not wait for the training job to stop; it is abandoned (nothing half-written is kept)")]
    private partial void LogStopTimedOut();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Training job {JobId} failed: {Reason}")]
    private partial void LogJobFailed(string jobId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Training job {JobId} failed unexpectedly")]
    private partial void LogJobCrashed(Exception exception, string jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Training job {JobId} started: full training after the instant head v{Version} of job {InstantJobId}")]
    private partial void LogFollowUp(string jobId, string instantJobId, int version);

    [LoggerMessage(Level = LogLevel.Information, Message = "No full training follows the instant head of job {JobId}: {Reason}")]
    private partial void LogFollowUpSkipped(string jobId, string reason);

    private sealed class JobProgress(TrainingJob job) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => job.Report(value);
    }
}
