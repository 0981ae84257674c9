using DeviceHost.Pipeline;
using DeviceHost.Sources;

namespace DeviceHost.Api;

/// <summary>Builds the /status document from the live services (see docs/http-api.md).</summary>
public sealed class StatusReport(BackboneService backbone, SupervisedFrameSource source, PipelineMetrics metrics, ActiveHead head,
    TimeProvider time, DeviceState state)
{
    public object Build()
    {
        var current = head.Current;
        var info = backbone.IsReady ? backbone.Engine.Info : null;
        return new
        {
            version = typeof(StatusReport).Assembly.GetName().Version?.ToString(3),
            uptimeSeconds = Math.Round(time.GetElapsedTime(state.StartedTimestamp).TotalSeconds, 1),
            needsCalibration = current is null,
            backbone = info is null ? null : new
            {
                info.Name,
                info.Provider,
                info.ProviderFailures,
                info.EmbeddingDimension,
                info.BackboneHash,
                ready = true,
            },
            source = source.Status,
            pipeline = new
            {
                framesCaptured = metrics.Captured,
                framesProcessed = metrics.Processed,
                framesDropped = metrics.Dropped,
                failedFrames = metrics.Failed,
                fps = Math.Round(metrics.FramesPerSecond, 2),
                latencyMs = new { p50 = Round(metrics.LatencyPercentile(50)), p95 = Round(metrics.LatencyPercentile(95)) },
            },
            activeHead = current is null ? null : state.DescribeHead(current),
            samples = state.DescribeSamples(),
            training = state.DescribeTraining(),
            memory = Memory(),
            errors = state.Errors,
        };
    }

    private static object Memory()
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        var gc = GC.GetGCMemoryInfo();
        const double mb = 1024 * 1024;
        return new
        {
            residentMb = Math.Round(process.WorkingSet64 / mb, 1),
            managedHeapMb = Math.Round(gc.HeapSizeBytes / mb, 1),
            managedCommittedMb = Math.Round(gc.TotalCommittedBytes / mb, 1),
        };
    }

    private static double? Round(double? value) => value is null ? null : Math.Round(value.Value, 2);
}
