using System.Device.Gpio;
using System.Device.Gpio.Drivers;

namespace DeviceHost.Gpio;

/// <summary>The real GPIO hardware: which character-device chips exist, and the libgpiod driver for one.</summary>
public static class GpioChips
{
    /// <summary>Paths of /dev/gpiochip* present on this machine (none in containers and on desktops).</summary>
    public static IReadOnlyList<string> Present(string devDirectory = "/dev") =>
        Directory.Exists(devDirectory) ? [.. Directory.EnumerateFileSystemEntries(devDirectory, "gpiochip*").Order(StringComparer.Ordinal)] : [];

    /// <summary>A libgpiod driver for chip <paramref name="chip"/> (libgpiod v1 or v2, whichever is installed).</summary>
    public static GpioDriver CreateDriver(int chip) => new LibGpiodDriver(chip);
}
