using DeviceHost.Calibration;
using DeviceHost.Pipeline;
using EdgeRuntime.Embeddings;
using EdgeRuntime.Execution;
using EdgeRuntime.Interop;
using EdgeRuntime.Precision;
using EdgeRuntime.Quantization;

namespace DeviceHost.Precision;

/// <summary>
/// Backbone:Precision Auto or Int8 without a cached int8 model: waits for enough calibration images (the stored
/// samples, else frames of the live source), quantizes on a low-priority thread while fp32 keeps classifying, switches
/// the engine when allowed, then re-embeds the stored samples once for the new backbone hash, in the background.
/// Every fault is logged and shown in /status; the service never ends the process.
/// </summary>
public sealed partial class PrecisionService(BackboneService backbone, CalibrationService calibration, LatestFrame latest, ActiveHead activeHead,
    OrtSessionFactory factory, IConfiguration configuration, TimeProvider time, ILoggerFactory loggers, PipelineMetrics metrics) : BackgroundService
{
    /// <summary>How often a live frame is taken while collecting: frames a quarter second apart differ a little more.</summary>
    public static readonly TimeSpan FrameInterval = TimeSpan.FromMilliseconds(250);

    private readonly ILogger _logger = loggers.CreateLogger<PrecisionService>();
    private PrecisionStage _stage = new("idle", 0, 0, null);

    public PrecisionStage Stage => Volatile.Read(ref _stage);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(metrics.Registry);
        var int8 = factory.CreateGauge("edgeruntime_backbone_int8", "1 while the int8 backbone runs, 0 for fp32.");
        var cosine = factory.CreateGauge("edgeruntime_int8_parity_median_cosine", "Median cosine int8 vs fp32 on held-back images of the int8 model (active or refused).");
        var agreement = factory.CreateGauge("edgeruntime_int8_parity_head_agreement", "Share of held-back images on which the active head chose the same class from int8 and fp32.");
        var images = factory.CreateGauge("edgeruntime_int8_calibration_images", "Images the int8 model's scales were calibrated on.");
        metrics.Registry.AddBeforeCollectCallback(() =>
        {
            if (!backbone.IsReady)
            {
                return;
            }

            var status = backbone.Engine.Info.Precision;
            int8.Set(status.Active == BackbonePrecision.Int8 ? 1 : 0);
            if (status.Quantization is { } report)
            {
                cosine.Set(report.Parity.MedianCosine);
                agreement.Set(report.Parity.HeadAgreement ?? double.NaN);
                images.Set(report.CalibrationImages);
            }
        });
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var engine = backbone.Engine;
            if (engine.Options.Precision == BackbonePrecision.Fp32 || engine.Info.Precision.Active == BackbonePrecision.Int8)
            {
                return;
            }

            var images = await CollectAsync(engine.Options.Quantization, stoppingToken).ConfigureAwait(false);
            await QuantizeAndSwitchAsync(engine, images, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Set("failed", 0, 0, ex.Message);
            LogFailed(ex, ex.Message);
        }
    }

    private async Task<CalibrationImageSet> CollectAsync(QuantizationOptions options, CancellationToken stoppingToken)
    {
        var frames = new List<byte[]>();
        var last = DateTimeOffset.MinValue;
        while (true)
        {
            stoppingToken.ThrowIfCancellationRequested();
            if (calibration.IsOpen)
            {
                var workspace = calibration.Workspace;
                int stored = workspace.ClassCounts().Sum(c => c.Total);
                if (stored >= options.MinimumImages)
                {
                    frames.Clear();
                    return BackbonePrecisionSwitch.FromSamples((offset, limit) => workspace.ListSamples(offset, limit), workspace.ImagePathOf, options.MaximumImages);
                }
            }

            if (latest.Snapshot() is { } snapshot && snapshot.CapturedAt != last)
            {
                last = snapshot.CapturedAt;
                frames.Add(snapshot.Image);
                if (frames.Count >= options.MinimumImages)
                {
                    return CalibrationImageSet.FromEncoded(frames);
                }
            }

            Set("waiting-for-images", frames.Count, options.MinimumImages,
                $"quantization starts once {options.MinimumImages} stored samples or live frames exist (Backbone:Quantization:MinimumImages)");
            await Task.Delay(FrameInterval, time, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task QuantizeAndSwitchAsync(EmbeddingEngine engine, CalibrationImageSet images, CancellationToken stoppingToken)
    {
        var data = configuration[Composition.DataDirectory.ConfigurationKey]!;
        var precision = new BackbonePrecisionSwitch(data, factory, loggers);
        var progress = new Cli.SyncProgress<QuantizationProgress>(p => Set(p.Stage, p.Done, p.Total, null));
        var quantized = await RunLowPriorityAsync(() => precision.QuantizeAndCache(engine, images,
            (embeddings, dimension) => activeHead.Use(head => head is null ? null : HeadChoices.Choose(head, embeddings, dimension)),
            progress, stoppingToken)).ConfigureAwait(false);

        // Here, at this service's priority: the live session's intra-op threads are created with the switch and would
        // otherwise run inference at nice 10 for good.
        precision.Switch(engine, quantized);
        if (engine.Info.Precision.Active != BackbonePrecision.Int8)
        {
            Set("done", 0, 0, $"stays fp32: {quantized.Report.Reason}");
            return;
        }

        // Embeddings are keyed by the backbone hash that made them: the stored samples need int8 ones for training.
        Set("re-embedding", 0, 0, null);
        int embedded = await RunLowPriorityAsync(() => calibration.Workspace.EnsureEmbeddings(stoppingToken)).ConfigureAwait(false);
        LogReembedded(embedded, engine.BackboneHash);
        Set("done", embedded, embedded, null);
    }

    private static async Task<T> RunLowPriorityAsync<T>(Func<T> work)
    {
        // Sessions created there inherit nice 10 in their intra-op threads: live inference keeps the cores. A pool
        // thread at this service's priority waits for the result, so nothing at nice 10 ever completes a task.
        using var thread = new DedicatedThread("backbone-quantization", LinuxThreadPriority.BackgroundNice);
        return await thread.RunAsync(work).ConfigureAwait(false);
    }

    private void Set(string stage, int done, int total, string? message) => Volatile.Write(ref _stage, new PrecisionStage(stage, done, total, message));

    [LoggerMessage(Level = LogLevel.Error, Message = "Background quantization failed, the backbone stays as it is: {Reason}")]
    private partial void LogFailed(Exception exception, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-embedded {Count} stored samples for backbone {BackboneHash}")]
    private partial void LogReembedded(int count, string backboneHash);
}
