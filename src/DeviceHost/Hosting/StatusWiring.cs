using DeviceHost.Api;
using DeviceHost.Calibration;
using DeviceHost.Pipeline;

namespace DeviceHost.Hosting;

/// <summary>Tells /status how to describe samples, training and the active head, from the calibration services.</summary>
public static class StatusWiring
{
    public static void Connect(IServiceProvider services)
    {
        var state = services.GetRequiredService<DeviceState>();
        var calibration = services.GetRequiredService<CalibrationService>();
        var runner = services.GetRequiredService<TrainingJobRunner>();
        state.DescribeSamples = () =>
        {
            if (!calibration.IsOpen)
            {
                return null;
            }

            var counts = calibration.Workspace.ClassCounts();
            return new { total = counts.Sum(c => c.Total), classes = counts.Select(c => new { c.Label, c.Train, c.Holdout }) };
        };
        state.DescribeTraining = () => runner.Current is { } job
            ? new { job.Id, job.State, epoch = job.Epochs.Count, job.Error }
            : null;
        // /status is polled by every open technician page; read the active head's manifest once per version, not
        // every head's manifest from disk on every request.
        (int Version, EdgeRuntime.Heads.HeadManifest? Manifest) cached = (0, null);
        var cacheGate = new Lock();
        state.DescribeHead = head =>
        {
            EdgeRuntime.Heads.HeadManifest? manifest;
            lock (cacheGate)
            {
                if (cached.Version != head.Version && calibration.IsOpen)
                {
                    cached = (head.Version, calibration.Workspace.FindHead(head.Version)?.Manifest);
                }

                manifest = cached.Version == head.Version ? cached.Manifest : null;
            }

            return new
            {
                head.Version,
                head.Labels,
                head.UnknownThreshold,
                accuracy = manifest?.HoldoutMetrics?.Accuracy,
                metrics = manifest?.HoldoutMetrics,
                summary = manifest is null ? null : HeadSummary.From(manifest, head.Version),
            };
        };
    }
}
