using DeviceHost.Calibration;
using DeviceHost.Pipeline;
using DeviceHost.Sources;
using EdgeRuntime.Heads;
using EdgeRuntime.Inference;

namespace DeviceHost.Api;

/// <summary>Builds the /status document (<see cref="DeviceStatus"/>) from the live services.</summary>
public sealed class StatusReport(BackboneService backbone, SupervisedFrameSource source, PipelineMetrics metrics, ActiveHead head,
    CalibrationService calibration, TrainingJobRunner training, Precision.PrecisionService precision, TimeProvider time, DeviceState state, Field.FieldWatch watch)
{
    private readonly Lock _cacheGate = new();
    private (int Version, HeadManifest? Manifest) _cachedManifest;

    public DeviceStatus Build()
    {
        var current = head.Current;
        return new DeviceStatus
        {
            Version = typeof(StatusReport).Assembly.GetName().Version?.ToString(3),
            UptimeSeconds = Math.Round(time.GetElapsedTime(state.StartedTimestamp).TotalSeconds, 1),
            NeedsCalibration = current is null,
            Backbone = Backbone(),
            Precision = PrecisionSection(),
            Source = source.Status,
            Pipeline = new PipelineStatus(
                metrics.Captured,
                metrics.Processed,
                metrics.Dropped,
                metrics.Failed,
                Math.Round(metrics.FramesPerSecond, 2),
                new LatencyPercentiles(Round(metrics.LatencyPercentile(50)), Round(metrics.LatencyPercentile(95)))),
            ActiveHead = current is null ? null : Head(current),
            Samples = Samples(),
            Training = training.Current is { } job ? new TrainingStatus(job.Id, job.State, job.Epochs.Count, job.Error) : null,
            Drift = watch.Options.Enabled ? Field.DriftStatus.From(watch) : null,
            Memory = Memory(),
            Errors = state.Errors,
        };
    }

    private BackboneStatus? Backbone()
    {
        if (!backbone.IsReady)
        {
            return null;
        }

        var info = backbone.Engine.Info;
        return new BackboneStatus(info.Name, info.Provider, info.ProviderFailures, info.EmbeddingDimension, info.BackboneHash, Ready: true);
    }

    private BackbonePrecisionStatus? PrecisionSection()
    {
        if (!backbone.IsReady)
        {
            return null;
        }

        var status = backbone.Engine.Info.Precision;
        var stage = precision.Stage;
        return new BackbonePrecisionStatus(status.Configured, status.Active, status.Reason, stage.Stage, stage.Done, stage.Total, stage.Message, status.Quantization);
    }

    private ActiveHeadStatus Head(HeadClassifier current)
    {
        // /status is polled by every open technician page; read the active head's manifest once per version, not
        // from disk on every request.
        HeadManifest? manifest;
        lock (_cacheGate)
        {
            if (_cachedManifest.Version != current.Version && calibration.IsOpen)
            {
                _cachedManifest = (current.Version, calibration.Workspace.FindHead(current.Version)?.Manifest);
            }

            manifest = _cachedManifest.Version == current.Version ? _cachedManifest.Manifest : null;
        }

        return new ActiveHeadStatus(
            current.Version,
            current.Labels,
            current.UnknownThreshold,
            manifest?.HoldoutMetrics?.Accuracy,
            manifest?.HoldoutMetrics,
            manifest is null ? null : HeadSummary.From(manifest, current.Version));
    }

    private SampleStatus? Samples()
    {
        if (!calibration.IsOpen)
        {
            return null;
        }

        var counts = calibration.Workspace.ClassCounts();
        return new SampleStatus(counts.Sum(c => c.Total), [.. counts.Select(ClassSamples.From)]);
    }

    private static MemoryStatus Memory()
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        var gc = GC.GetGCMemoryInfo();
        const double mb = 1024 * 1024;
        return new MemoryStatus(
            Math.Round(process.WorkingSet64 / mb, 1),
            Math.Round(gc.HeapSizeBytes / mb, 1),
            Math.Round(gc.TotalCommittedBytes / mb, 1));
    }

    private static double? Round(double? value) => value is null ? null : Math.Round(value.Value, 2);
}
