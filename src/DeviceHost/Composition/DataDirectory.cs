namespace DeviceHost.Composition;

/// <summary>Where samples, heads and the token live: --data, else DataDirectory, else systemd's STATE_DIRECTORY, else ./data.</summary>
public static class DataDirectory
{
    public const string ConfigurationKey = "DataDirectory";

    public static string Resolve(string? fromCommandLine, string? fromConfiguration)
    {
        var chosen = fromCommandLine is { Length: > 0 } ? fromCommandLine
            : fromConfiguration is { Length: > 0 } ? fromConfiguration
            : Environment.GetEnvironmentVariable("STATE_DIRECTORY") is { Length: > 0 } state ? state.Split(':')[0]
            : Path.Combine(Environment.CurrentDirectory, "data");
        return Path.GetFullPath(chosen);
    }
}
