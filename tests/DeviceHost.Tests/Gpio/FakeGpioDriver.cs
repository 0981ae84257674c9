using System.Runtime.Versioning;
using System.Device.Gpio;

namespace DeviceHost.Tests.Gpio;

/// <summary>
/// A hand-written GPIO chip: inputs are driven by the test (<see cref="SetInput"/> raises edge callbacks like the
/// kernel would), outputs are recorded. Optionally refuses pull resistors or one pin, like real chips do.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class FakeGpioDriver(int pinCount = 64, bool supportsPullResistors = true, int? busyPin = null) : GpioDriver
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, PinMode> _open = [];
    private readonly Dictionary<int, PinValue> _levels = [];
    private readonly List<(int Pin, PinEventTypes Types, PinChangeEventHandler Callback)> _callbacks = [];
    private readonly List<(int Pin, PinValue Value)> _writes = [];

    public IReadOnlyList<PinValue> WritesTo(int pin)
    {
        lock (_gate)
        {
            return [.. _writes.Where(w => w.Pin == pin).Select(w => w.Value)];
        }
    }

    public bool IsOpen(int pin)
    {
        lock (_gate)
        {
            return _open.ContainsKey(pin);
        }
    }

    public PinMode ModeOf(int pin)
    {
        lock (_gate)
        {
            return _open[pin];
        }
    }

    public int CallbackCount
    {
        get
        {
            lock (_gate)
            {
                return _callbacks.Count;
            }
        }
    }

    public bool Disposed { get; private set; }

    /// <summary>When set, every write fails like a line whose chip went away (EREMOTEIO).</summary>
    public bool FailWrites { get; set; }

    /// <summary>Sets the level an input line sees (a pull-up reads High until pressed), firing edge callbacks on a change.</summary>
    public void SetInput(int pin, PinValue value)
    {
        PinChangeEventHandler[] targets;
        PinEventTypes edge;
        lock (_gate)
        {
            if (_levels.TryGetValue(pin, out var old) && old == value)
            {
                return;
            }

            _levels[pin] = value;
            edge = value == PinValue.High ? PinEventTypes.Rising : PinEventTypes.Falling;
            targets = [.. _callbacks.Where(c => c.Pin == pin && (c.Types & edge) != 0).Select(c => c.Callback)];
        }

        foreach (var callback in targets)
        {
            callback(this, new PinValueChangedEventArgs(edge, pin));
        }
    }

    protected override int PinCount => pinCount;

    protected override void OpenPin(int pinNumber)
    {
        lock (_gate)
        {
            if (pinNumber < 0 || pinNumber >= pinCount)
            {
                throw new ArgumentOutOfRangeException(nameof(pinNumber), pinNumber, $"The chip has lines 0..{pinCount - 1}.");
            }

            if (pinNumber == busyPin)
            {
                throw new IOException($"Line {pinNumber} is in use by another process (Device or resource busy).");
            }

            _open[pinNumber] = PinMode.Input;
        }
    }

    protected override void ClosePin(int pinNumber)
    {
        lock (_gate)
        {
            _open.Remove(pinNumber);
            _callbacks.RemoveAll(c => c.Pin == pinNumber);
        }
    }

    protected override void SetPinMode(int pinNumber, PinMode mode)
    {
        lock (_gate)
        {
            RequireOpen(pinNumber);
            if (!IsPinModeSupported(pinNumber, mode))
            {
                throw new InvalidOperationException($"Line {pinNumber} does not support {mode}.");
            }

            _open[pinNumber] = mode;
            if (!_levels.ContainsKey(pinNumber))
            {
                // What a floating line reads once its resistor is set: pulled up reads High, otherwise Low.
                _levels[pinNumber] = mode == PinMode.InputPullUp ? PinValue.High : PinValue.Low;
            }
        }
    }

    protected override PinMode GetPinMode(int pinNumber)
    {
        lock (_gate)
        {
            RequireOpen(pinNumber);
            return _open[pinNumber];
        }
    }

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) =>
        mode is PinMode.Input or PinMode.Output || (supportsPullResistors && mode is PinMode.InputPullUp or PinMode.InputPullDown);

    protected override PinValue Read(int pinNumber)
    {
        lock (_gate)
        {
            RequireOpen(pinNumber);
            return _levels.TryGetValue(pinNumber, out var value) ? value : PinValue.Low;
        }
    }

    protected override void Write(int pinNumber, PinValue value)
    {
        lock (_gate)
        {
            RequireOpen(pinNumber);
            if (FailWrites)
            {
                throw new IOException($"Writing line {pinNumber} failed: Remote I/O error.");
            }

            _levels[pinNumber] = value;
            _writes.Add((pinNumber, value));
        }
    }

    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken)
    {
        var seen = new TaskCompletionSource<PinEventTypes>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChange(object sender, PinValueChangedEventArgs args) => seen.TrySetResult(args.ChangeType);
        AddCallbackForPinValueChangedEvent(pinNumber, eventTypes, OnChange);
        try
        {
            seen.Task.Wait(cancellationToken);
            return new WaitForEventResult { EventTypes = seen.Task.Result, TimedOut = false };
        }
        catch (OperationCanceledException)
        {
            return new WaitForEventResult { EventTypes = PinEventTypes.None, TimedOut = true };
        }
        finally
        {
            RemoveCallbackForPinValueChangedEvent(pinNumber, OnChange);
        }
    }

    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback)
    {
        lock (_gate)
        {
            RequireOpen(pinNumber);
            _callbacks.Add((pinNumber, eventTypes, callback));
        }
    }

    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback)
    {
        lock (_gate)
        {
            _callbacks.RemoveAll(c => c.Pin == pinNumber && c.Callback == callback);
        }
    }

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        base.Dispose(disposing);
    }

    private void RequireOpen(int pinNumber)
    {
        if (!_open.ContainsKey(pinNumber))
        {
            throw new InvalidOperationException($"Line {pinNumber} is not open.");
        }
    }
}
