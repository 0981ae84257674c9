using Microsoft.Extensions.Logging;
using OpenCvSharp;

namespace DeviceHost.Sources;

/// <summary>
/// Keeps a frame source alive for a capture loop: opens it, reconnects with capped jittered backoff after failures,
/// declares a stall when the reader has waited the stall timeout without a frame (armed only after a grace period following each
/// connect), and publishes a thread-safe <see cref="Status"/>. One consumer calls <see cref="ReadAsync"/> in a loop.
/// </summary>
public sealed class SupervisedFrameSource : IDisposable
{
    private readonly Func<IFrameSource> _factory;
    private readonly SupervisorOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SupervisedFrameSource> _logger;
    private readonly ReconnectBackoff _backoff;
    private readonly SupervisorStatusBoard _board;

    // Touched only by the single reader (guarded by _reading), apart from Dispose when no read is running.
    private IFrameSource? _source;
    private long _connectedAt;

    // When the reader began waiting for the next frame: a consumer that is slow to ask is not a stalled source.
    private long? _waitingSince;
    private int _consecutiveReadFailures;
    private bool _openedOnce;
    private int _reading;
    private FrameSourceException? _permanentError;

    private bool _disposed;

    /// <summary>Supervises sources made by <paramref name="factory"/>, called afresh for every (re)connect.</summary>
    public SupervisedFrameSource(
        Func<IFrameSource> factory, string displayName, SupervisorOptions options, TimeProvider timeProvider, ILogger<SupervisedFrameSource> logger)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        _factory = factory;
        _options = options;
        _time = timeProvider;
        _logger = logger;
        _backoff = ReconnectBackoff.From(options);
        _board = new SupervisorStatusBoard(SourceRedactor.Redact(displayName), timeProvider, StallTimeoutFor);
    }

    /// <summary>Raised after every state change (not per frame), on the reading thread.</summary>
    public event EventHandler<FrameSourceStatus>? StateChanged;

    /// <summary>A consistent snapshot for /status; safe from any thread.</summary>
    public FrameSourceStatus Status => _board.Snapshot();

    /// <summary>Parses <paramref name="uri"/> now (bad addresses throw) and supervises the sources it names.</summary>
    public static SupervisedFrameSource ForUri(
        string? uri, FrameSourceOptions sourceOptions, SupervisorOptions options, ILogger<SupervisedFrameSource> logger)
    {
        ArgumentNullException.ThrowIfNull(sourceOptions);
        return For(FrameSourceOpener.ForUri(uri, sourceOptions), options, sourceOptions.TimeProvider, logger);
    }

    /// <summary>Supervises the sources <paramref name="camera"/> opens.</summary>
    public static SupervisedFrameSource For(FrameSourceOpener camera, SupervisorOptions options, TimeProvider timeProvider, ILogger<SupervisedFrameSource> logger)
    {
        ArgumentNullException.ThrowIfNull(camera);
        return new SupervisedFrameSource(camera.Open, camera.DisplayName, options, timeProvider, logger);
    }

    /// <summary>
    /// Waits for the next frame, reconnecting as needed, and leaves it in <paramref name="destination"/> (BGR 8UC3).
    /// Throws <see cref="OperationCanceledException"/> on cancellation and a permanent <see cref="FrameSourceException"/>
    /// when the source can never work (the state is then Failed).
    /// </summary>
    public async ValueTask ReadAsync(Mat destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (Interlocked.Exchange(ref _reading, 1) == 1)
        {
            throw new InvalidOperationException("SupervisedFrameSource supports one reader at a time.");
        }

        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
                if (_permanentError is not null)
                {
                    throw _permanentError;
                }

                if (_source is null)
                {
                    await ConnectAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (await ReadOnceAsync(_source, destination, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        finally
        {
            Volatile.Write(ref _reading, 0);
            if (Volatile.Read(ref _disposed))
            {
                CloseSource();
            }
        }
    }

    /// <summary>Closes the current source. Stop reading first; a read in progress closes it when it returns.</summary>
    public void Dispose()
    {
        Volatile.Write(ref _disposed, true);
        if (Volatile.Read(ref _reading) == 0)
        {
            CloseSource();
        }
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var streak = _board.RetryStreak;
        if (streak > 0)
        {
            var delay = _backoff.Next(streak - 1);
            _board.ScheduleAttempt(_time.GetUtcNow() + delay);

            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }

        _board.CountAttempt(isReconnect: _openedOnce);
        _openedOnce = true;
        IFrameSource? source = null;
        try
        {
            source = _factory();
            // Off the caller's thread: network and device opens block for up to their own timeouts.
            await Task.Run(source.Open, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            source?.Dispose();
            if (ex is FrameSourceException { IsPermanent: true } permanent)
            {
                _permanentError = permanent;
                Transition(FrameSourceState.Failed, permanent.Message, countRetry: false);
                _logger.LogError("Frame source {Source} cannot work and will not be retried: {Reason}", _board.Name, permanent.Message);
                throw permanent;
            }

            Transition(FrameSourceState.Reconnecting, ex.Message, countRetry: true);
            return;
        }

        _source = source;
        _connectedAt = _time.GetTimestamp();
        _waitingSince = null;
        _consecutiveReadFailures = 0;
        _board.Opened(source);

        _logger.LogInformation("Frame source {Source} opened ({Kind}, nominal {Fps} fps)", source.DisplayName, source.Kind, source.NominalFps);
    }

    private async Task<bool> ReadOnceAsync(IFrameSource source, Mat destination, CancellationToken cancellationToken)
    {
        _waitingSince ??= _time.GetTimestamp();
        var remaining = TimeUntilStall(source);
        if (remaining <= TimeSpan.Zero)
        {
            await DeclareStallAsync(Task.FromResult(false), null).ConfigureAwait(false);
            return false;
        }

        using var readCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<bool> read;
        try
        {
            read = source.ReadAsync(destination, readCancellation.Token).AsTask();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            read = Task.FromException<bool>(ex);
        }

        if (!read.IsCompleted)
        {
            using var timerCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var stallTimer = Task.Delay(remaining, _time, timerCancellation.Token);
            var first = await Task.WhenAny(read, stallTimer).ConfigureAwait(false);
            await timerCancellation.CancelAsync().ConfigureAwait(false);
            if (first != read)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    await AwaitQuietly(read).ConfigureAwait(false);
                    cancellationToken.ThrowIfCancellationRequested();
                }

                await DeclareStallAsync(read, readCancellation).ConfigureAwait(false);
                return false;
            }
        }

        string? error = null;
        bool gotFrame;
        try
        {
            gotFrame = await read.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (FrameSourceException ex) when (ex.IsPermanent)
        {
            _permanentError = ex;
            CloseSource();
            Transition(FrameSourceState.Failed, ex.Message, countRetry: false);
            throw;
        }
        catch (Exception ex)
        {
            gotFrame = false;
            error = $"Read failed: {ex.Message}";
        }

        if (gotFrame)
        {
            OnFrame();
            return true;
        }

        _consecutiveReadFailures++;
        _board.CountReadFailure();

        if (_consecutiveReadFailures >= _options.MaxConsecutiveReadFailures)
        {
            CloseSource();
            Transition(
                FrameSourceState.Reconnecting,
                error ?? $"{_consecutiveReadFailures} reads in a row returned no frame (end of stream or device error)",
                countRetry: true);
        }

        return false;
    }

    private void OnFrame()
    {
        _waitingSince = null;
        _consecutiveReadFailures = 0;
        if (_board.Frame())
        {
            Transition(FrameSourceState.Streaming, null, countRetry: false);
        }
    }

    private async Task DeclareStallAsync(Task<bool> read, CancellationTokenSource? readCancellation)
    {
        var silence = _time.GetElapsedTime(_waitingSince ?? _connectedAt);
        _board.CountStall();

        var reason = $"Stalled: no frame for {silence.TotalSeconds:0.#} s";
        Transition(FrameSourceState.Stalled, reason, countRetry: false);
        if (readCancellation is not null)
        {
            await readCancellation.CancelAsync().ConfigureAwait(false);
        }

        // The read must finish before the source is disposed: native captures cannot be freed mid-read.
        await AwaitQuietly(read).ConfigureAwait(false);
        CloseSource();
        Transition(FrameSourceState.Reconnecting, reason, countRetry: true);
    }

    private TimeSpan TimeUntilStall(IFrameSource source)
    {
        var timeout = StallTimeoutFor(source.NominalFps);
        var now = _time.GetTimestamp();
        var sinceConnect = _time.GetElapsedTime(_connectedAt, now);
        var untilArmed = _options.ReconnectGracePeriod - sinceConnect;
        var sinceActivity = _time.GetElapsedTime(_waitingSince ?? now, now);
        var untilTimeout = timeout - sinceActivity;
        return untilArmed > untilTimeout ? untilArmed : untilTimeout;
    }

    private TimeSpan StallTimeoutFor(double? fps)
    {
        var minimum = _options.MinimumStallTimeout;
        if (fps is not > 0)
        {
            return minimum;
        }

        var byFrames = TimeSpan.FromSeconds(_options.StallFrameIntervals / fps.Value);
        return byFrames > minimum ? byFrames : minimum;
    }

    private void Transition(FrameSourceState state, string? error, bool countRetry)
    {
        if (_board.Transition(state, error, countRetry, _options.FailedAfterAttempts) is not var (status, stateChanged))
        {
            return;
        }

        Log(status, error);
        if (stateChanged)
        {
            StateChanged?.Invoke(this, status);
        }
    }

    private void Log(FrameSourceStatus status, string? error)
    {
        switch (status.State)
        {
            case FrameSourceState.Streaming:
                _logger.LogInformation("Frame source {Source} is streaming", status.Source);
                break;
            case FrameSourceState.Failed when _permanentError is not null:
                // Already logged with its reason where the permanent error was caught.
                break;
            case FrameSourceState.Failed:
                _logger.LogError("Frame source {Source} failed {Attempts} times in a row, still retrying (at most every {MaxDelay}): {Reason}", status.Source, status.RetryStreak, _options.MaxBackoff, error);
                break;
            default:
                _logger.LogWarning("Frame source {Source} is {State}: {Reason}", status.Source, status.State, error);
                break;
        }
    }

    private void CloseSource()
    {
        var source = Interlocked.Exchange(ref _source, null);
        source?.Dispose();
    }

    private static async Task AwaitQuietly(Task read)
    {
        try
        {
            await read.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The read was abandoned on purpose (stall or shutdown); its outcome no longer matters.
        }
    }
}
