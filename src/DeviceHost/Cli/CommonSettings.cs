using System.ComponentModel;
using Spectre.Console.Cli;

namespace DeviceHost.Cli;

/// <summary>Options every command takes.</summary>
public class CommonSettings : CommandSettings
{
    [CommandOption("--data <DIR>")]
    [Description("Data directory (samples, heads, token). Default: DataDirectory from configuration, $STATE_DIRECTORY, or ./data.")]
    public string? DataDirectory { get; set; }

    [CommandOption("--config <FILE>")]
    [Description("Extra JSON configuration file, applied over appsettings.json and /etc/edgeruntime/appsettings.json.")]
    public string? ConfigFile { get; set; }

    [CommandOption("--json")]
    [Description("Print machine-readable JSON on stdout instead of tables.")]
    public bool Json { get; set; }

    [CommandOption("-v|--verbose")]
    [Description("Log engine information (provider choice, timings) to stderr.")]
    public bool Verbose { get; set; }
}
