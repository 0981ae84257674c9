namespace DeviceHost.Hosting;

/// <summary>Top-level settings of the device service.</summary>
public sealed class DeviceOptions
{
    /// <summary>Samples, heads, token. Resolved by <see cref="Composition.DataDirectory"/> when empty.</summary>
    public string DataDirectory { get; set; } = "";

    /// <summary>Rolling log files; empty disables file logging (journald still gets the console).</summary>
    public string? LogDirectory { get; set; }

    public string? Validate()
    {
        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            return "DataDirectory must be set.";
        }

        return null;
    }
}
