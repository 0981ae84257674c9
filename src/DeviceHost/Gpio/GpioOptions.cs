namespace DeviceHost.Gpio;

/// <summary>Front-panel wiring: two push buttons and a status LED on one GPIO chip (line offsets, as gpioinfo shows them).</summary>
public sealed class GpioOptions
{
    /// <summary>Whether to use GPIO at all; off by default so a desk machine never touches pins.</summary>
    public bool Enabled { get; set; }

    /// <summary>The /dev/gpiochipN number whose lines the pin numbers refer to.</summary>
    public int Chip { get; set; }

    /// <summary>Line of the capture button (take a sample), or null when not fitted.</summary>
    public int? CaptureButtonPin { get; set; }

    /// <summary>Line of the class-cycle button (choose the label for the next captures), or null when not fitted.</summary>
    public int? ClassCycleButtonPin { get; set; }

    /// <summary>Line of the status LED, or null when not fitted.</summary>
    public int? StatusLedPin { get; set; }

    /// <summary>Buttons pull the line low when pressed (the usual wiring with a pull-up); the internal pull-up is enabled when supported.</summary>
    public bool ButtonsActiveLow { get; set; } = true;

    /// <summary>The LED lights when the line is driven low (LED wired to the supply rail).</summary>
    public bool LedActiveLow { get; set; }

    /// <summary>A button state counts only after the line has been quiet this long.</summary>
    public int DebounceMilliseconds { get; set; } = 30;
}
