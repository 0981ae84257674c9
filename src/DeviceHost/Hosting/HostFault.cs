namespace DeviceHost.Hosting;

/// <summary>Tells whether the host stopped because a background service faulted rather than because it was asked to.</summary>
public static class HostFault
{
    /// <summary>Exit code when a background service faulted and stopped the host (EX_SOFTWARE): systemd must restart it.</summary>
    public const int ExitCode = 70;

    /// <summary>
    /// Runs the host until it stops (the caller disposes it); 0 when it was asked to stop, <see cref="ExitCode"/> when a background service
    /// faulted. A faulted BackgroundService stops the host and RunAsync may return normally, so without this the
    /// process could exit 0 and Restart=on-failure would leave the device dead.
    /// </summary>
    public static async Task<int> RunAsync(IHost host)
    {
        ArgumentNullException.ThrowIfNull(host);

        // Not IHost.RunAsync: it disposes the host, and the services must still be asked how they ended.
        await host.StartAsync().ConfigureAwait(false);
        try
        {
            await host.WaitForShutdownAsync().ConfigureAwait(false);
        }
        catch (Exception) when (Find(host.Services) is not null)
        {
            // Depending on when it faulted, stopping rethrows the service's exception or returns normally; both mean
            // the same here, and the exception is logged below.
        }
        if (Find(host.Services) is { } fault)
        {
            host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(HostFault))
                .LogCritical(fault, "The service stopped because a background service failed; exiting with {ExitCode} so systemd restarts it", ExitCode);
            return ExitCode;
        }

        return 0;
    }

    /// <summary>The first faulted background service's exception, or null when every one ended cleanly.</summary>
    public static Exception? Find(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.GetServices<IHostedService>()
            .OfType<BackgroundService>()
            .Select(s => s.ExecuteTask)
            .FirstOrDefault(t => t is { IsFaulted: true })?.Exception?.GetBaseException();
    }
}
