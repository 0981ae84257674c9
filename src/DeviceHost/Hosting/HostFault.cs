namespace DeviceHost.Hosting;

/// <summary>Tells whether the host stopped because a background service faulted rather than because it was asked to.</summary>
public static class HostFault
{
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
