using Prometheus;

namespace DeviceHost.Pipeline;

/// <summary>
/// Frame counters, latency percentiles over a sliding window and frame rate, for /status and /metrics.
/// Owns a Prometheus registry of its own so several hosts in one process (tests) never share counters.
/// </summary>
public sealed class PipelineMetrics
{
    private readonly TimeProvider _time;
    private readonly double[] _latencies;
    private readonly long[] _processedAt;
    private readonly Lock _gate = new();
    private readonly Counter _capturedCounter;
    private readonly Counter _processedCounter;
    private readonly Counter _droppedCounter;
    private readonly Counter _failedCounter;
    private readonly Histogram _latencyHistogram;
    private long _captured;
    private long _processed;
    private long _dropped;
    private long _failed;
    private int _latencyNext;
    private int _latencyCount;
    private int _rateNext;
    private long _lastProgress;

    public PipelineMetrics(TimeProvider time, int latencyWindow)
    {
        _time = time;
        _latencies = new double[latencyWindow];
        _processedAt = new long[64];
        _lastProgress = time.GetTimestamp();
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        _capturedCounter = factory.CreateCounter("edgeruntime_frames_captured_total", "Frames read from the source.");
        _processedCounter = factory.CreateCounter("edgeruntime_frames_processed_total", "Frames embedded and classified.");
        _droppedCounter = factory.CreateCounter("edgeruntime_frames_dropped_total", "Frames replaced by a newer one before inference reached them.");
        _failedCounter = factory.CreateCounter("edgeruntime_frames_failed_total", "Frames whose processing failed and was skipped.");
        _latencyHistogram = factory.CreateHistogram("edgeruntime_frame_latency_seconds", "Capture-to-prediction latency.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.005, 1.6, 14) });
        var fps = factory.CreateGauge("edgeruntime_frames_per_second", "Processed frames per second over the last frames.");
        Registry.AddBeforeCollectCallback(() => fps.Set(FramesPerSecond));
    }

    public CollectorRegistry Registry { get; }

    public long Captured => Interlocked.Read(ref _captured);

    public long Processed => Interlocked.Read(ref _processed);

    public long Dropped => Interlocked.Read(ref _dropped);

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>When the frame loop last made progress (a processed frame, or a deliberate idle tick).</summary>
    public long LastProgressTimestamp => Interlocked.Read(ref _lastProgress);

    public void OnCaptured()
    {
        Interlocked.Increment(ref _captured);
        _capturedCounter.Inc();
    }

    public void OnDropped()
    {
        Interlocked.Increment(ref _dropped);
        _droppedCounter.Inc();
    }

    public void OnFailed()
    {
        Interlocked.Increment(ref _failed);
        _failedCounter.Inc();
        MarkProgress();
    }

    public void OnProcessed(TimeSpan latency)
    {
        Interlocked.Increment(ref _processed);
        _processedCounter.Inc();
        _latencyHistogram.Observe(latency.TotalSeconds);
        lock (_gate)
        {
            _latencies[_latencyNext] = latency.TotalMilliseconds;
            _latencyNext = (_latencyNext + 1) % _latencies.Length;
            _latencyCount = Math.Min(_latencyCount + 1, _latencies.Length);
            _processedAt[_rateNext] = _time.GetTimestamp();
            _rateNext = (_rateNext + 1) % _processedAt.Length;
        }

        MarkProgress();
    }

    public void MarkProgress() => Interlocked.Exchange(ref _lastProgress, _time.GetTimestamp());

    /// <summary>Latency percentile in milliseconds over the window, or null before any frame.</summary>
    public double? LatencyPercentile(double percentile)
    {
        double[] copy;
        lock (_gate)
        {
            if (_latencyCount == 0)
            {
                return null;
            }

            copy = _latencies.AsSpan(0, _latencyCount).ToArray();
        }

        Array.Sort(copy);
        int index = (int)Math.Ceiling(percentile / 100.0 * copy.Length) - 1;
        return copy[Math.Clamp(index, 0, copy.Length - 1)];
    }

    /// <summary>Frames per second over the last processed frames (0 when idle for over five seconds).</summary>
    public double FramesPerSecond
    {
        get
        {
            lock (_gate)
            {
                long count = Math.Min(Processed, _processedAt.Length);
                if (count < 2)
                {
                    return 0;
                }

                long newest = _processedAt[(_rateNext - 1 + _processedAt.Length) % _processedAt.Length];
                long oldest = _processedAt[(_rateNext - (int)count + _processedAt.Length) % _processedAt.Length];
                var span = _time.GetElapsedTime(oldest, newest);
                if (_time.GetElapsedTime(newest) > TimeSpan.FromSeconds(5) || span <= TimeSpan.Zero)
                {
                    return 0;
                }

                return (count - 1) / span.TotalSeconds;
            }
        }
    }
}
