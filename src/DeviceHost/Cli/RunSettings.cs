using System.ComponentModel;
using System.Globalization;
using Spectre.Console.Cli;

namespace DeviceHost.Cli;

/// <summary>Settings of <c>edgeruntime run</c>: the common ones and the three users reach for first; the rest is configuration.</summary>
public sealed class RunSettings : CommonSettings
{
    [CommandOption("--source <URI>")]
    [Description("Frame source (Pipeline:Source), e.g. synthetic:, /dev/video0, file.mp4, rtsp://..., a folder of images.")]
    public string? Source { get; set; }

    [CommandOption("--address <IP>")]
    [Description("Address the HTTP API binds (Api:Address); a non-loopback one also needs Api:AllowRemote=true.")]
    public string? Address { get; set; }

    [CommandOption("--port <PORT>")]
    [Description("Port of the HTTP API (Api:Port); 0 picks a free one.")]
    public int? Port { get; set; }

    /// <summary>The options given, as configuration overrides (they win over every file and environment variable).</summary>
    public Dictionary<string, string?> ConfigurationOverrides()
    {
        var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (Source is not null)
        {
            overrides["Pipeline:Source"] = Source;
        }

        if (Address is not null)
        {
            overrides["Api:Address"] = Address;
        }

        if (Port is { } port)
        {
            overrides["Api:Port"] = port.ToString(CultureInfo.InvariantCulture);
        }

        return overrides;
    }

    public override Spectre.Console.ValidationResult Validate() =>
        Source is { Length: 0 } ? Spectre.Console.ValidationResult.Error("--source must not be empty.")
        : Port is < 0 or > 65535 ? Spectre.Console.ValidationResult.Error($"--port must be 0..65535, not {Port}.")
        : base.Validate();
}
