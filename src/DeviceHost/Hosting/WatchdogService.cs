using DeviceHost.Pipeline;
using DeviceHost.Sources;
using Microsoft.Extensions.Hosting.Systemd;

namespace DeviceHost.Hosting;

/// <summary>
/// Pings systemd's watchdog (WATCHDOG=1) at half the configured interval, but only while the frame loop makes
/// progress, so a hung backbone or capture thread gets the service restarted. A source that is reconnecting counts
/// as progress: the supervisor is working, and a restart would not bring the camera back.
/// </summary>
public sealed partial class WatchdogService(ISystemdNotifier notifier, PipelineMetrics metrics, SupervisedFrameSource source, TimeProvider time,
    ILogger<WatchdogService> logger, BackboneService backbone) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = WatchdogInterval();
        if (interval is null || !notifier.IsEnabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval.Value / 2, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                bool streaming = source.Status.State == FrameSourceState.Streaming;
                bool progressed = time.GetElapsedTime(metrics.LastProgressTimestamp) < interval.Value;
                // A refused backbone is a stable state a restart cannot fix: keep the API up to report it.
                if (progressed || !streaming || backbone.Failure is not null)
                {
                    notifier.Notify(new ServiceState("WATCHDOG=1"));
                }
                else
                {
                    LogNoProgress(time.GetElapsedTime(metrics.LastProgressTimestamp).TotalSeconds);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static TimeSpan? WatchdogInterval() =>
        long.TryParse(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), out var usec) && usec > 0
            ? TimeSpan.FromMicroseconds(usec)
            : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Frame loop made no progress for {Seconds:F1} s; withholding the watchdog ping")]
    private partial void LogNoProgress(double seconds);
}
