using EdgeRuntime;
using EdgeRuntime.Calibration;
using EdgeRuntime.Interop;
using EdgeRuntime.Training;

namespace DeviceHost.Calibration;

/// <summary>
/// Runs one training job at a time on a dedicated low-priority thread so the frame loop keeps its cores; keeps the
/// jobs of this process for GET /jobs. Stopping the host cancels a running job and waits for it to leave the store
/// consistent (training writes nothing until the head is complete).
/// </summary>
public sealed partial class TrainingJobRunner(CalibrationService calibration, TimeProvider time, ILogger<TrainingJobRunner> logger) : IHostedService, IDisposable
{
    /// <summary>Finished jobs kept for GET /jobs/{id}; older ones are forgotten (their heads stay in the registry).</summary>
    public const int KeptJobs = 50;

    private readonly Dictionary<string, TrainingJob> _jobs = new(StringComparer.Ordinal);
    private readonly Queue<string> _finished = new();
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
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

            var job = new TrainingJob(Guid.NewGuid().ToString("n")[..12], request, time.GetUtcNow());
            _jobs[job.Id] = job;
            _current = job;
            _thread = new Thread(() => Run(job)) { IsBackground = true, Name = "head-training" };
            _thread.Start();
            return job;
        }
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

    public void Dispose() => _stopping.Dispose();

    private void Run(TrainingJob job)
    {
        if (!LinuxThreadPriority.TryLowerCurrentThread(10))
        {
            LogPriorityNotLowered();
        }

        job.Start(time.GetUtcNow());
        try
        {
            var outcome = calibration.Workspace.Train(job.Request, new JobProgress(job), _stopping.Token);

            // The frame loop runs the new head before the job reads as finished, so a client that saw "succeeded,
            // activated" never gets a prediction from the old head afterwards.
            if (outcome.Activated)
            {
                calibration.ReloadActiveHead();
            }

            job.Finish(time.GetUtcNow(), outcome, null, cancelled: false);
        }
        catch (OperationCanceledException)
        {
            job.Finish(time.GetUtcNow(), null, "Cancelled because the service is stopping.", cancelled: true);
        }
        catch (Exception ex) when (ex is EdgeRuntimeException or IOException)
        {
            job.Finish(time.GetUtcNow(), null, ex.Message, cancelled: false);
            LogJobFailed(job.Id, ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A bug or a native failure: the job fails and says so, but an exception escaping this thread would end
            // the whole service (camera, API) over one calibration attempt.
            job.Finish(time.GetUtcNow(), null, $"Training failed unexpectedly: {ex.Message}", cancelled: false);
            LogJobCrashed(ex, job.Id);
        }
        finally
        {
            lock (_gate)
            {
                _last = job;
                _current = null;
                _finished.Enqueue(job.Id);
                while (_finished.Count > KeptJobs)
                {
                    _jobs.Remove(_finished.Dequeue());
                }
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

    private sealed class JobProgress(TrainingJob job) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => job.Report(value);
    }
}
