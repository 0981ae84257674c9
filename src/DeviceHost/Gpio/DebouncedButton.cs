using System.Device.Gpio;

namespace DeviceHost.Gpio;

/// <summary>
/// A push button on a GPIO input. Every edge restarts a quiet-period timer; when the line has been quiet for the
/// debounce time its level is read, and a change from released to pressed raises <see cref="Pressed"/> once.
/// Contact bounce and glitches shorter than the debounce time therefore never count.
/// </summary>
public sealed class DebouncedButton : IDisposable
{
    private readonly GpioController _controller;
    private readonly bool _activeLow;
    private readonly TimeSpan _debounce;
    private readonly Lock _gate = new();
    private readonly ITimer _quietTimer;
    private readonly ILogger? _logger;
    private long _handlerFailures;
    private PinValue _lastEdgeLevel;
    private bool _pressed;
    private long _presses;
    private bool _disposed;

    /// <summary>Opens <paramref name="pin"/> as an input (with the pull resistor the wiring implies, where supported) and starts watching it.</summary>
    public DebouncedButton(GpioController controller, int pin, bool activeLow, TimeSpan debounce, TimeProvider timeProvider, string name, ILogger? logger = null)
    {
        _logger = logger;
        ArgumentNullException.ThrowIfNull(controller);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _controller = controller;
        Pin = pin;
        Name = name;
        _activeLow = activeLow;
        _debounce = debounce < TimeSpan.Zero ? TimeSpan.Zero : debounce;

        var pull = activeLow ? PinMode.InputPullUp : PinMode.InputPullDown;
        controller.OpenPin(pin, controller.IsPinModeSupported(pin, pull) ? pull : PinMode.Input);
        _lastEdgeLevel = controller.Read(pin);
        // A button held at startup is not a press; it must be released and pressed again.
        _pressed = IsActive(_lastEdgeLevel);
        _quietTimer = timeProvider.CreateTimer(_ => OnQuiet(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        controller.RegisterCallbackForPinValueChangedEvent(pin, PinEventTypes.Rising | PinEventTypes.Falling, OnEdge);
    }

    /// <summary>Raised once per debounced press, on a timer thread.</summary>
    public event EventHandler? Pressed;

    /// <summary>The line offset.</summary>
    public int Pin { get; }

    /// <summary>What the button is for (for logs).</summary>
    public string Name { get; }

    /// <summary>The debounced state.</summary>
    public bool IsPressed
    {
        get
        {
            lock (_gate)
            {
                return _pressed;
            }
        }
    }

    /// <summary>Presses whose handler threw (contained: the handler runs on a timer thread).</summary>
    public long HandlerFailures => Interlocked.Read(ref _handlerFailures);

    /// <summary>Debounced presses so far.</summary>
    public long PressCount => Interlocked.Read(ref _presses);

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
        }

        _quietTimer.Dispose();
        _controller.UnregisterCallbackForPinValueChangedEvent(Pin, OnEdge);
        _controller.ClosePin(Pin);
    }

    private void OnEdge(object sender, PinValueChangedEventArgs args)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _lastEdgeLevel = args.ChangeType == PinEventTypes.Rising ? PinValue.High : PinValue.Low;
            _quietTimer.Change(_debounce, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnQuiet()
    {
        bool pressedNow;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            PinValue level;
            try
            {
                level = _controller.Read(Pin);
            }
            catch (IOException)
            {
                // Reading can fail while the chip is busy; the last edge tells the level just as well.
                level = _lastEdgeLevel;
            }

            pressedNow = IsActive(level);
            if (pressedNow == _pressed)
            {
                return;
            }

            _pressed = pressedNow;
        }

        if (pressedNow)
        {
            Interlocked.Increment(ref _presses);
            try
            {
                Pressed?.Invoke(this, EventArgs.Empty);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A timer thread: anything escaping here would end the process. One bad press must not.
                Interlocked.Increment(ref _handlerFailures);
                _logger?.LogError(ex, "The {Button} button's action failed: {Reason}", Name, ex.Message);
            }
        }
    }

    private bool IsActive(PinValue level) => _activeLow ? level == PinValue.Low : level == PinValue.High;
}
