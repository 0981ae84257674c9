namespace DeviceHost.Sources;

/// <summary>
/// The lock-guarded state and counters behind <see cref="SupervisedFrameSource.Status"/>: written by the single reader,
/// read by anyone (HTTP /status, metrics).
/// </summary>
internal sealed class SupervisorStatusBoard
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly Func<double?, TimeSpan> _stallTimeout;
    private string _name;
    private FrameSourceKind _kind = FrameSourceKind.Auto;
    private FrameSourceState _state = FrameSourceState.Connecting;
    private DateTimeOffset _since;
    private string? _lastError;
    private DateTimeOffset? _lastErrorAt;
    private DateTimeOffset? _lastFrameAt;
    private DateTimeOffset? _nextAttemptAt;
    private double? _fps;
    private int _retryStreak;
    private long _frames;
    private long _readFailures;
    private long _reconnects;
    private long _stalls;

    public SupervisorStatusBoard(string name, TimeProvider time, Func<double?, TimeSpan> stallTimeout)
    {
        _name = name;
        _time = time;
        _stallTimeout = stallTimeout;
        _since = time.GetUtcNow();
    }

    public string Name
    {
        get
        {
            lock (_gate)
            {
                return _name;
            }
        }
    }

    public int RetryStreak
    {
        get
        {
            lock (_gate)
            {
                return _retryStreak;
            }
        }
    }

    public FrameSourceStatus Snapshot()
    {
        lock (_gate)
        {
            return new FrameSourceStatus(
                _name, _kind, _state, _since, _lastError, _lastErrorAt, _lastFrameAt, _frames, _readFailures, _reconnects,
                _stalls, _retryStreak, _nextAttemptAt, _fps, _stallTimeout(_fps));
        }
    }

    public void ScheduleAttempt(DateTimeOffset? at)
    {
        lock (_gate)
        {
            _nextAttemptAt = at;
        }
    }

    public void CountAttempt(bool isReconnect)
    {
        lock (_gate)
        {
            _nextAttemptAt = null;
            if (isReconnect)
            {
                _reconnects++;
            }
        }
    }

    public void Opened(IFrameSource source)
    {
        lock (_gate)
        {
            _name = source.DisplayName;
            _kind = source.Kind;
            _fps = source.NominalFps;
        }
    }

    /// <summary>Counts a frame; true when this frame ends a non-streaming state.</summary>
    public bool Frame()
    {
        lock (_gate)
        {
            _frames++;
            _lastFrameAt = _time.GetUtcNow();
            _retryStreak = 0;
            return _state != FrameSourceState.Streaming;
        }
    }

    public void CountReadFailure()
    {
        lock (_gate)
        {
            _readFailures++;
        }
    }

    public void CountStall()
    {
        lock (_gate)
        {
            _stalls++;
        }
    }

    /// <summary>
    /// Moves to <paramref name="state"/> (Failed instead once <paramref name="failedAfter"/> retries have piled up when
    /// <paramref name="countRetry"/>), recording <paramref name="error"/>. Returns the new status when the state or the
    /// error changed, else null.
    /// </summary>
    public (FrameSourceStatus Status, bool StateChanged)? Transition(FrameSourceState state, string? error, bool countRetry, int failedAfter)
    {
        lock (_gate)
        {
            if (countRetry && ++_retryStreak >= failedAfter)
            {
                state = FrameSourceState.Failed;
            }

            var now = _time.GetUtcNow();
            var stateChanged = _state != state;
            var errorChanged = error is not null && !string.Equals(error, _lastError, StringComparison.Ordinal);
            if (error is not null)
            {
                _lastError = error;
                _lastErrorAt = now;
            }

            if (!stateChanged && !errorChanged)
            {
                return null;
            }

            if (stateChanged)
            {
                _state = state;
                _since = now;
            }

            return (Snapshot(), stateChanged);
        }
    }
}
