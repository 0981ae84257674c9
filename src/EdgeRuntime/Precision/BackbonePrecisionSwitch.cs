using EdgeRuntime.Embeddings;
using EdgeRuntime.Execution;
using EdgeRuntime.Models;
using EdgeRuntime.Quantization;
using EdgeRuntime.Samples;
using Microsoft.Extensions.Logging;

namespace EdgeRuntime.Precision;

/// <summary>
/// Puts <c>Backbone:Precision</c> into effect for one data directory: picks the cached int8 model at load, and
/// quantizes, caches and switches the running engine when asked. The one place that decides whether an int8 model
/// may run: Auto only after the parity check passed, Int8 always (with a warning when it failed), Fp32 never.
/// Borrows the engine and the session factory.
/// </summary>
public sealed class BackbonePrecisionSwitch
{
    private readonly OrtSessionFactory _factory;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;

    public BackbonePrecisionSwitch(string dataDirectory, OrtSessionFactory factory, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        (_factory, _loggers) = (factory, loggers);
        _logger = loggers.CreateLogger<BackbonePrecisionSwitch>();
        Cache = new QuantizedModelCache(dataDirectory, _logger);
    }

    public QuantizedModelCache Cache { get; }

    /// <summary>For <see cref="EmbeddingEngine.Load"/>: the newest usable cached int8 model for the fp32 hash, or null (fp32).</summary>
    public Func<string, ModelChoice?> AtLoad(BackboneOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return fp32Hash =>
        {
            if (options.Precision == BackbonePrecision.Fp32)
            {
                return null;
            }

            int removed = Cache.DeleteIncomplete();
            if (removed > 0)
            {
                _logger.LogWarning("Removed {Count} incomplete int8 backbone files left by an interrupted quantization", removed);
            }

            var entry = Cache.LoadLatest(fp32Hash, requirePassed: options.Precision == BackbonePrecision.Auto);
            return entry is null ? null : Choice(options.Precision, entry.Report, entry.Model, entry.TensorRtCalibrationTable);
        };
    }

    /// <summary>Stored samples as calibration images, newest first up to <paramref name="maximum"/>.</summary>
    /// <param name="list">Pages of samples (offset, limit), newest first: the workspace's ListSamples.</param>
    /// <param name="imagePath">Where a sample's image is: the workspace's ImagePathOf.</param>
    /// <param name="maximum">Most images taken.</param>
    public static CalibrationImageSet FromSamples(Func<int, int, IReadOnlyList<Sample>> list, Func<Sample, string> imagePath, int maximum)
    {
        ArgumentNullException.ThrowIfNull(list);
        ArgumentNullException.ThrowIfNull(imagePath);
        var files = new List<(string Path, string Hash)>();
        for (int offset = 0; files.Count < maximum; offset += 1000)
        {
            var page = list(offset, 1000);
            files.AddRange(page.Take(maximum - files.Count).Select(s => (imagePath(s), s.ImageHash)));
            if (page.Count < 1000)
            {
                break;
            }
        }

        return CalibrationImageSet.FromFiles(files);
    }

    /// <summary>
    /// Quantizes <paramref name="engine"/>'s backbone on <paramref name="images"/>, caches the result and switches the
    /// engine to it when the configured precision allows (<see cref="QuantizeAndCache"/>, then <see cref="Switch"/>).
    /// </summary>
    /// <exception cref="QuantizationException">Too few images or an unsupported graph; the engine is unchanged apart from its status.</exception>
    public QuantizationReport QuantizeAndSwitch(EmbeddingEngine engine, CalibrationImageSet images, Func<float[], int, HeadChoices?>? head,
        IProgress<QuantizationProgress>? progress = null, CancellationToken cancellationToken = default, bool switchEngine = true)
    {
        var quantized = QuantizeAndCache(engine, images, head, progress, cancellationToken);
        if (switchEngine)
        {
            Switch(engine, quantized);
        }

        return quantized.Report;
    }

    /// <summary>Quantizes and caches the result; the engine keeps running what it runs.</summary>
    /// <exception cref="QuantizationException">Too few images or an unsupported graph; the engine is unchanged apart from its status.</exception>
    public QuantizedBackbone QuantizeAndCache(EmbeddingEngine engine, CalibrationImageSet images, Func<float[], int, HeadChoices?>? head,
        IProgress<QuantizationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var configured = engine.Options.Precision;
        QuantizedBackbone quantized;
        try
        {
            quantized = Quantize(engine, images, head, progress, cancellationToken);
        }
        catch (QuantizationException ex)
        {
            if (engine.Info.Precision.Active == BackbonePrecision.Fp32)
            {
                engine.UpdatePrecision(PrecisionStatus.Fp32(configured, ex.Message));
            }

            throw;
        }

        Cache.Save(quantized);
        var report = quantized.Report;
        if (!report.Passed)
        {
            _logger.LogWarning("The int8 backbone failed its parity check: {Reason}; {Action}", report.Reason,
                Uses(configured, report) ? "used anyway because Backbone:Precision is Int8" : "the backbone stays fp32");
        }

        return quantized;
    }

    /// <summary>
    /// Runs <paramref name="quantized"/> from now on when the configured precision allows, else records in the engine's
    /// status why it stays fp32. Call it at the inference loop's priority: the new session's intra-op threads are
    /// created here and keep this thread's nice value for as long as the session runs live inference.
    /// </summary>
    public void Switch(EmbeddingEngine engine, QuantizedBackbone quantized)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(quantized);
        var configured = engine.Options.Precision;
        var report = quantized.Report;
        if (Uses(configured, report))
        {
            var saved = Cache.Load(report.BackboneHash, report.CalibrationFingerprint);
            engine.SwitchModel(Choice(configured, report, quantized.Model, saved?.TensorRtCalibrationTable));
            _logger.LogInformation("Backbone switched to int8 ({Method} calibration on {Images} {Origin} images, median cosine {Cosine:F4})",
                report.Chosen, report.CalibrationImages, report.CalibrationOrigin, report.Parity.MedianCosine);
        }
        else if (engine.Info.Precision.Active == BackbonePrecision.Fp32)
        {
            var reason = configured == BackbonePrecision.Fp32 ? null : $"int8 parity check failed: {report.Reason}";
            engine.UpdatePrecision(PrecisionStatus.Fp32(configured, reason, report));
        }
    }

    /// <summary>Quantizes without touching the engine or the cache (the bench command).</summary>
    public QuantizedBackbone Quantize(EmbeddingEngine engine, CalibrationImageSet images, Func<float[], int, HeadChoices?>? head,
        IProgress<QuantizationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var quantizer = new BackboneQuantizer(_factory, engine.Options.Quantization, _loggers.CreateLogger<BackboneQuantizer>());
        var prepared = BackboneGraph.Prepare(engine.Manifest);
        return quantizer.Quantize(prepared, engine.Info.Fp32Hash, engine.Manifest.Input, engine.Options.Resize, engine.Dimension, images, head,
            progress: progress, cancellationToken: cancellationToken);
    }

    /// <summary>How an int8 model is presented to the engine.</summary>
    private static bool Uses(BackbonePrecision configured, QuantizationReport report) =>
        configured == BackbonePrecision.Int8 || (configured == BackbonePrecision.Auto && report.Passed);

    public static ModelChoice Choice(BackbonePrecision configured, QuantizationReport report, byte[] model, string? tensorRtCalibrationTable = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        var reason = report.Passed ? null : $"parity check failed ({report.Reason}); int8 forced by Backbone:Precision=Int8";
        return new ModelChoice(model, new PrecisionStatus(configured, BackbonePrecision.Int8, reason, report), EmbeddingEngine.Int8HashMarker + report.CalibrationFingerprint[..8], tensorRtCalibrationTable);
    }
}
