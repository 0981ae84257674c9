namespace DeviceHost.Gpio;

/// <summary>What the status LED tells a technician standing at the device.</summary>
public enum LedPattern
{
    /// <summary>Dark.</summary>
    Off,

    /// <summary>Steady on: classifying with an active head.</summary>
    Ready,

    /// <summary>Slow blink (0.5 s on, 0.5 s off): a head is training.</summary>
    Training,

    /// <summary>Fast blink (0.1 s on, 0.1 s off): camera or engine fault.</summary>
    Fault,

    /// <summary>Double blink then a pause: samples or calibration needed before a head can be trained.</summary>
    NeedsCalibration,

    /// <summary>
    /// Long on, short dark gap (1 s on, 0.2 s off): classifying, but the drift monitor has raised its alarm (covered or
    /// frozen camera, blur, a changed scene); the technician page says which signal and shows example frames.
    /// </summary>
    Drift,
}
