using System.ComponentModel;
using DeviceHost.Hosting;
using Spectre.Console.Cli;

namespace DeviceHost.Cli;

/// <summary><c>edgeruntime run</c>: the device service (systemd runs this). Exits non-zero when a background service faulted.</summary>
[Description("Run the device service: camera loop, live inference, HTTP API on 127.0.0.1:8080.")]
public sealed class RunCommand : AsyncCommand<RunSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, RunSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        await using var app = DeviceHostBuilder.Build(settings.ConfigFile, settings.DataDirectory, settings.ConfigurationOverrides());
        return await HostFault.RunAsync(app).ConfigureAwait(false);
    }
}
