using System.ComponentModel;
using DeviceHost.Hosting;
using Spectre.Console.Cli;

namespace DeviceHost.Cli;

/// <summary><c>edgeruntime run</c>: the device service (systemd runs this).</summary>
[Description("Run the device service: camera loop, live inference, HTTP API on 127.0.0.1:8080.")]
public sealed class RunCommand : AsyncCommand<RunSettings>
{
    /// <summary>Exit code when a background service faulted and stopped the host: systemd must restart it.</summary>
    public const int HostFaultExitCode = 70;

    public override async Task<int> ExecuteAsync(CommandContext context, RunSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        await using var app = DeviceHostBuilder.Build(settings.ConfigFile, settings.DataDirectory, settings.ConfigurationOverrides());
        await app.RunAsync().ConfigureAwait(false);

        // A faulted BackgroundService stops the host and RunAsync returns normally: without this the process would
        // exit 0 and Restart=on-failure would leave the device dead.
        return HostFault.Find(app.Services) is null ? 0 : HostFaultExitCode;
    }
}
