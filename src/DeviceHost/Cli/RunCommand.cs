using System.ComponentModel;
using DeviceHost.Hosting;
using Spectre.Console.Cli;

namespace DeviceHost.Cli;

/// <summary><c>edgeruntime run</c>: the device service (systemd runs this).</summary>
[Description("Run the device service: camera loop, live inference, HTTP API on 127.0.0.1:8080.")]
public sealed class RunCommand : AsyncCommand<RunSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, RunSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        await using var app = DeviceHostBuilder.Build(settings.ConfigFile, settings.DataDirectory);
        await app.RunAsync().ConfigureAwait(false);
        return 0;
    }
}
