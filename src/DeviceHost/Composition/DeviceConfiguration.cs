using Microsoft.Extensions.Configuration;

namespace DeviceHost.Composition;

/// <summary>
/// Configuration sources, lowest precedence first: appsettings.json next to the executable, the system-wide
/// /etc/edgeruntime/appsettings.json, a file given with --config, EDGERUNTIME__ environment variables
/// (EDGERUNTIME__Backbone__Resize=Letterbox), then command-line overrides.
/// </summary>
public static class DeviceConfiguration
{
    public const string SystemFile = "/etc/edgeruntime/appsettings.json";
    public const string EnvironmentPrefix = "EDGERUNTIME__";

    public static void AddSources(IConfigurationBuilder builder, string? configFile, IDictionary<string, string?>? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true, reloadOnChange: false);
        builder.AddJsonFile(SystemFile, optional: true, reloadOnChange: false);
        if (configFile is { Length: > 0 })
        {
            var full = Path.GetFullPath(configFile);
            if (!File.Exists(full))
            {
                throw new FileNotFoundException($"Configuration file '{full}' (--config) does not exist.", full);
            }

            builder.AddJsonFile(full, optional: false, reloadOnChange: false);
        }

        builder.AddEnvironmentVariables(EnvironmentPrefix);
        if (overrides is { Count: > 0 })
        {
            builder.AddInMemoryCollection(overrides);
        }
    }

    public static IConfigurationRoot Build(string? configFile, IDictionary<string, string?>? overrides = null)
    {
        var builder = new ConfigurationBuilder();
        AddSources(builder, configFile, overrides);
        return builder.Build();
    }
}
