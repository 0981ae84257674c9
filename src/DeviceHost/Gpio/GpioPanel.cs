using System.Device.Gpio;
using Microsoft.Extensions.Logging;

namespace DeviceHost.Gpio;

/// <summary>
/// The device's physical controls: a debounced capture button, a class-cycle button and a status LED, on a
/// <see cref="GpioController"/> over a <see cref="GpioDriver"/>. When GPIO is off in configuration, no chip exists
/// or the pins cannot be opened, the panel is disabled: it logs why once, raises no events and ignores LED changes.
/// </summary>
public sealed class GpioPanel : IDisposable
{
    private readonly GpioController? _controller;
    private readonly StatusLed? _led;

    private GpioPanel(string disabledReason)
    {
        DisabledReason = disabledReason;
    }

    private GpioPanel(GpioController controller, DebouncedButton? capture, DebouncedButton? classCycle, StatusLed? led)
    {
        _controller = controller;
        CaptureButton = capture;
        ClassCycleButton = classCycle;
        _led = led;
        if (capture is not null)
        {
            capture.Pressed += (_, e) => CapturePressed?.Invoke(this, e);
        }

        if (classCycle is not null)
        {
            classCycle.Pressed += (_, e) => ClassCyclePressed?.Invoke(this, e);
        }
    }

    /// <summary>Debounced press of the capture button (on a timer thread).</summary>
    public event EventHandler? CapturePressed;

    /// <summary>Debounced press of the class-cycle button (on a timer thread).</summary>
    public event EventHandler? ClassCyclePressed;

    /// <summary>True when the pins are open and watched.</summary>
    public bool IsEnabled => _controller is not null;

    /// <summary>Why the panel is disabled, or null when enabled.</summary>
    public string? DisabledReason { get; }

    /// <summary>The capture button, when fitted and enabled.</summary>
    public DebouncedButton? CaptureButton { get; }

    /// <summary>The class-cycle button, when fitted and enabled.</summary>
    public DebouncedButton? ClassCycleButton { get; }

    /// <summary>The status LED, when fitted and enabled.</summary>
    public StatusLed? Led => _led;

    /// <summary>The pattern on the status LED (Off when there is none); setting it is a no-op when disabled.</summary>
    public LedPattern LedPattern
    {
        get => _led?.Pattern ?? LedPattern.Off;
        set
        {
            if (_led is not null)
            {
                _led.Pattern = value;
            }
        }
    }

    /// <summary>
    /// Builds the panel. <paramref name="driverFactory"/> is the hardware seam (default: libgpiod on
    /// <see cref="GpioOptions.Chip"/>, used only when a /dev/gpiochip* exists); the controller owns and disposes the driver.
    /// </summary>
    public static GpioPanel Create(GpioOptions options, TimeProvider timeProvider, ILogger<GpioPanel> logger, Func<GpioDriver>? driverFactory = null) =>
        Create(options, timeProvider, logger, driverFactory, "/dev");

    /// <summary>As <see cref="Create(GpioOptions, TimeProvider, ILogger{GpioPanel}, Func{GpioDriver}?)"/>, looking for chips in <paramref name="devDirectory"/>.</summary>
    internal static GpioPanel Create(GpioOptions options, TimeProvider timeProvider, ILogger<GpioPanel> logger, Func<GpioDriver>? driverFactory, string devDirectory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        if (!options.Enabled)
        {
            logger.LogInformation("GPIO is disabled in configuration; buttons and status LED are off");
            return new GpioPanel("GPIO is disabled in configuration");
        }

        var pins = new[] { options.CaptureButtonPin, options.ClassCycleButtonPin, options.StatusLedPin }.OfType<int>().ToArray();
        if (pins.Length == 0)
        {
            logger.LogWarning("GPIO is enabled but no button or LED pin is configured; GPIO stays off");
            return new GpioPanel("no GPIO pins configured");
        }

        if (pins.Distinct().Count() != pins.Length || pins.Any(p => p < 0))
        {
            var reason = $"GPIO pins must be distinct and not negative (capture {options.CaptureButtonPin}, class cycle {options.ClassCycleButtonPin}, LED {options.StatusLedPin})";
            logger.LogError("GPIO configuration is invalid, GPIO stays off: {Reason}", reason);
            return new GpioPanel(reason);
        }

        if (driverFactory is null)
        {
            var chips = GpioChips.Present(devDirectory);
            if (chips.Count == 0)
            {
                logger.LogWarning("GPIO is enabled but this machine has no /dev/gpiochip*; buttons and status LED are off");
                return new GpioPanel("no GPIO chip (/dev/gpiochip*) on this machine");
            }

            driverFactory = () => GpioChips.CreateDriver(options.Chip);
        }

        GpioController? controller = null;
        var opened = new List<IDisposable>();
        try
        {
            controller = new GpioController(driverFactory());
            var debounce = TimeSpan.FromMilliseconds(options.DebounceMilliseconds);
            DebouncedButton? Button(int? pin, string name)
            {
                if (pin is not { } p)
                {
                    return null;
                }

                var button = new DebouncedButton(controller, p, options.ButtonsActiveLow, debounce, timeProvider, name, logger);
                opened.Add(button);
                return button;
            }

            var capture = Button(options.CaptureButtonPin, "capture");
            var classCycle = Button(options.ClassCycleButtonPin, "class cycle");
            StatusLed? led = null;
            if (options.StatusLedPin is { } ledPin)
            {
                led = new StatusLed(controller, ledPin, options.LedActiveLow, timeProvider, logger);
            }

            logger.LogInformation(
                "GPIO on chip {Chip}: capture button {CapturePin}, class-cycle button {ClassCyclePin}, status LED {LedPin}, debounce {DebounceMs} ms",
                options.Chip, options.CaptureButtonPin, options.ClassCycleButtonPin, options.StatusLedPin, options.DebounceMilliseconds);
            return new GpioPanel(controller, capture, classCycle, led);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Missing libgpiod, a pin claimed by another process or absent on this chip: run without the panel.
            opened.ForEach(d => d.Dispose());
            controller?.Dispose();
            logger.LogWarning(ex, "GPIO could not be opened on chip {Chip}; buttons and status LED are off: {Reason}", options.Chip, ex.Message);
            return new GpioPanel($"GPIO could not be opened: {ex.Message}");
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        CaptureButton?.Dispose();
        ClassCycleButton?.Dispose();
        _led?.Dispose();
        _controller?.Dispose();
    }
}
