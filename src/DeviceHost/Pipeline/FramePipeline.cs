using System.Threading.Channels;
using DeviceHost.Sources;
using EdgeRuntime.Inference;
using Microsoft.Extensions.Options;

namespace DeviceHost.Pipeline;

/// <summary>
/// The camera loop: capture and inference run concurrently, joined by a one-slot latest-frame-wins channel, so a slow
/// backbone drops stale frames instead of queueing latency. A frame that fails is logged, counted and skipped.
/// </summary>
public sealed partial class FramePipeline : BackgroundService
{
    private readonly SupervisedFrameSource _source;
    private readonly BackboneService _backbone;
    private readonly ActiveHead _head;
    private readonly PredictionFeed _feed;
    private readonly LatestFrame _latest;
    private readonly Field.FieldWatch _watch;
    private float[]? _features;
    private readonly PipelineMetrics _metrics;
    private readonly PipelineOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<FramePipeline> _logger;
    private readonly FramePool _pool = new();
    private readonly Channel<CapturedFrame> _channel;

    // A file read as fast as it decodes (realtime=false) would otherwise decode hundreds of frames per second only to
    // drop them, taking a core from inference; for such a source capture waits until inference took the last frame.
    private readonly SemaphoreSlim? _consumed;

    public FramePipeline(SupervisedFrameSource source, BackboneService backbone, ActiveHead head, PredictionFeed feed, LatestFrame latest, Field.FieldWatch watch,
        PipelineMetrics metrics, IOptions<PipelineOptions> options, TimeProvider time, ILogger<FramePipeline> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _watch = watch;
        (_source, _backbone, _head, _feed, _latest, _metrics, _options, _time, _logger) = (source, backbone, head, feed, latest, metrics, options.Value, time, logger);
        var uri = FrameSourceUri.Parse(_options.Source);
        if (uri.Kind == FrameSourceKind.File && !uri.Parameters.GetBool("realtime", true))
        {
            _consumed = new SemaphoreSlim(1, 1);
        }

        _channel = Channel.CreateBounded<CapturedFrame>(
            new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true },
            dropped =>
            {
                _metrics.OnDropped();
                _pool.Return(dropped.Frame);
            });
    }

    // The loop holds two thread-pool threads for good: inference runs each frame synchronously on one, and capture's
    // read waits on another for its dedicated thread. On a 2-core device the pool's default minimum is 2, which leaves
    // none for their continuations, HTTP and timers until the starvation injector adds threads (one per half second,
    // retired again when idle): measured as windows of the int8 pipeline at 48-56 instead of 71-73 frames/s.
    private const int HeldPoolThreads = 2;

    // Without a backbone (refused at start-up) there is no frame loop; the API still reports why.
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_backbone.IsReady)
        {
            return Task.CompletedTask;
        }

        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, Environment.ProcessorCount + HeldPoolThreads), completionPorts);
        return Task.WhenAll(Task.Run(() => CaptureAsync(stoppingToken), stoppingToken), Task.Run(() => InferAsync(stoppingToken), stoppingToken));
    }

    public override void Dispose()
    {
        base.Dispose();
        _pool.Dispose();
        _consumed?.Dispose();
    }

    private async Task CaptureAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (_consumed is not null)
                {
                    await _consumed.WaitAsync(stoppingToken).ConfigureAwait(false);
                }

                var frame = _pool.Rent();
                try
                {
                    await _source.ReadAsync(frame, stoppingToken).ConfigureAwait(false);
                }
                catch
                {
                    _pool.Return(frame);
                    throw;
                }

                _metrics.OnCaptured();
                if (!_channel.Writer.TryWrite(new CapturedFrame(frame, _time.GetUtcNow(), _time.GetTimestamp())))
                {
                    _pool.Return(frame);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (FrameSourceException ex)
        {
            // The supervisor only gives up on sources that can never work (a GStreamer pipeline without GStreamer);
            // the service stays up for health, status and calibration uploads, and the status shows the error.
            LogSourceFailed(ex.Message);
        }
        finally
        {
            _channel.Writer.TryComplete();
        }
    }

    private async Task InferAsync(CancellationToken stoppingToken)
    {
        var embedding = new float[_backbone.Engine.Dimension];
        try
        {
            await foreach (var item in _channel.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                _consumed?.Release();
                try
                {
                    Process(item, embedding);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _metrics.OnFailed();
                    LogFrameFailed(ex, ex.Message);
                }
                finally
                {
                    _pool.Return(item.Frame);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Process(CapturedFrame item, float[] embedding)
    {
        _backbone.Engine.Embed(item.Frame, embedding);
        var prediction = _head.Use(head => head is null
            ? new Prediction(null, 0f, [], 0, item.CapturedAt, TimeSpan.Zero)
            : head.Classify(embedding, _options.TopK, item.CapturedAt, TimeSpan.Zero, _features ??= new float[embedding.Length]));
        var latency = _time.GetElapsedTime(item.Timestamp);
        _latest.Update(item.Frame, embedding, item.CapturedAt);
        _feed.Publish(prediction with { Latency = latency });
        _metrics.OnProcessed(latency);

        // After the prediction is out: drift, image health and the review queue never add to its latency.
        _watch.Observe(item.Frame, embedding, prediction, _features);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Frame skipped: {Reason}")]
    private partial void LogFrameFailed(Exception exception, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Frame source failed permanently, capture stopped: {Reason}")]
    private partial void LogSourceFailed(string reason);
}
