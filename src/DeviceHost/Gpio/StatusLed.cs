using System.Device.Gpio;

namespace DeviceHost.Gpio;

/// <summary>
/// A status LED on a GPIO output drawing a <see cref="LedPattern"/>, timed by a <see cref="TimeProvider"/>. A failing
/// write (chip gone, line reclaimed) is counted and logged once per run of failures, never thrown: the LED runs on
/// timer threads, where an exception would end the process.
/// </summary>
public sealed class StatusLed : IDisposable
{
    private readonly GpioController _controller;
    private readonly bool _activeLow;
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly ILogger? _logger;
    private long _writeFailures;
    private bool _failing;
    private ITimer? _timer;
    private IReadOnlyList<(bool Lit, TimeSpan Duration)> _steps;
    private LedPattern _pattern;
    private int _step;
    private long _generation;
    private bool _lit;
    private bool _disposed;

    /// <summary>Opens <paramref name="pin"/> as an output, initially dark.</summary>
    public StatusLed(GpioController controller, int pin, bool activeLow, TimeProvider timeProvider, ILogger? logger = null)
    {
        _logger = logger;
        ArgumentNullException.ThrowIfNull(controller);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _controller = controller;
        _activeLow = activeLow;
        Pin = pin;
        controller.OpenPin(pin, PinMode.Output, Level(false));
        _steps = LedSequence.Of(LedPattern.Off);
        _time = timeProvider;
    }

    /// <summary>The line offset.</summary>
    public int Pin { get; }

    /// <summary>Writes to the line that failed so far.</summary>
    public long WriteFailures => Interlocked.Read(ref _writeFailures);

    /// <summary>Whether the LED is lit right now.</summary>
    public bool IsLit
    {
        get
        {
            lock (_gate)
            {
                return _lit;
            }
        }
    }

    /// <summary>The pattern shown; setting a different one restarts from its first step. Safe from any thread.</summary>
    public LedPattern Pattern
    {
        get
        {
            lock (_gate)
            {
                return _pattern;
            }
        }

        set
        {
            var steps = LedSequence.Of(value);
            lock (_gate)
            {
                if (_disposed || (value == _pattern && _generation > 0))
                {
                    return;
                }

                _pattern = value;
                _steps = steps;
                _step = 0;
                _generation++;
                _timer?.Dispose();
                // A timer per pattern, carrying its generation, so a tick that raced a pattern change is ignored.
                var generation = _generation;
                _timer = steps.Count > 1
                    ? _time.CreateTimer(_ => OnTick(generation), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan)
                    : null;
                Show();
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _generation++;
            _timer?.Dispose();
            _timer = null;
        }

        try
        {
            _controller.Write(Pin, Level(false));
            _controller.ClosePin(Pin);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _logger?.LogWarning("Status LED on line {Pin} could not be switched off at shutdown: {Reason}", Pin, ex.Message);
        }
    }

    private void OnTick(long generation)
    {
        lock (_gate)
        {
            if (_disposed || generation != _generation)
            {
                return;
            }

            _step = (_step + 1) % _steps.Count;
            Show();
        }
    }

    // Called under the lock: writes the current step and schedules the next one.
    private void Show()
    {
        var (lit, duration) = _steps[_step];
        _lit = lit;
        try
        {
            _controller.Write(Pin, Level(lit));
            if (_failing)
            {
                _failing = false;
                _logger?.LogInformation("Status LED on line {Pin} works again after {Failures} failed writes", Pin, WriteFailures);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Interlocked.Increment(ref _writeFailures);
            if (!_failing)
            {
                _failing = true;
                _logger?.LogWarning("Status LED on line {Pin} cannot be written; it keeps trying: {Reason}", Pin, ex.Message);
            }
        }

        _timer?.Change(duration, Timeout.InfiniteTimeSpan);
    }

    private PinValue Level(bool lit) => lit != _activeLow ? PinValue.High : PinValue.Low;
}
