using System.Globalization;
using DeviceHost.Pipeline;
using EdgeRuntime.Drift;
using EdgeRuntime.Inference;
using EdgeRuntime.Preprocessing;
using EdgeRuntime.Review;
using OpenCvSharp;
using Prometheus;

namespace DeviceHost.Field;

/// <summary>
/// What the frame loop tells about the field beyond the prediction: image health and the drift monitor, the
/// hard-sample queue, and the recent embeddings adaptation uses as unlabelled frames. The frame loop calls
/// <see cref="Observe"/> once per frame (O(D) work plus a few thousand sampled pixels); everything else reads.
/// Holds the drift monitor, the queue and the example frames (managed memory only); a fault in here is contained per frame by the loop.
/// </summary>
public sealed class FieldWatch
{
    private const int ExampleFrames = 3;

    private readonly DriftMonitor _monitor;
    private readonly ImageHealth _health = new();
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly List<byte[]> _examples = [];
    private readonly RecentEmbeddings _recent;
    private readonly ActiveHead _head;
    private IReadOnlyList<string> _labels = [];
    private bool _wasAlarm;
    private bool _keepExample;

    public FieldWatch(DriftOptions drift, ReviewOptions review, int recentFrames, string dataDirectory, ActiveHead head, PipelineMetrics metrics, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(metrics);
        (_time, _head) = (time, head);
        Options = drift;
        _monitor = new DriftMonitor(drift, time);
        Queue = new HardSampleQueue(dataDirectory, review, time);
        _recent = new RecentEmbeddings(recentFrames);
        head.Changed += (_, classifier) => OnHeadChanged(classifier);
        OnHeadChanged(head.Current);
        _monitor.Changed += (_, report) =>
        {
            lock (_gate)
            {
                _keepExample |= report.Alarm && !_wasAlarm;
                _wasAlarm = report.Alarm;
            }
        };
        RegisterGauges(metrics.Registry);
    }

    public DriftOptions Options { get; }

    public HardSampleQueue Queue { get; }

    public DriftReport Drift => _monitor.Report();

    /// <summary>JPEGs of the frames when the current (or last) alarm raised; newest last.</summary>
    public IReadOnlyList<byte[]> Examples
    {
        get
        {
            lock (_gate)
            {
                return [.. _examples];
            }
        }
    }

    /// <summary>Live frames older than this mean the source has stalled: they are not the field as it is now.</summary>
    public static readonly TimeSpan StalledAfter = TimeSpan.FromSeconds(10);

    /// <summary>The newest <paramref name="count"/> embeddings (row-major), how many are distinct, and the age of the newest.</summary>
    public (float[] Embeddings, int Distinct, TimeSpan? NewestAge) RecentFrames(int count) => _recent.Take(count, _time.GetUtcNow());

    /// <summary>
    /// The newest <paramref name="count"/> live embeddings (row-major) for an adaptation. Reading them takes nothing
    /// away: a refused request leaves every frame in place for the next one.
    /// </summary>
    /// <exception cref="LiveFramesUnavailableException">The newest frame is older than <see cref="StalledAfter"/>, or fewer than <paramref name="minimumDistinct"/> are distinct.</exception>
    public float[] LiveFrames(int count, int minimumDistinct)
    {
        var (frames, distinct, age) = RecentFrames(count);
        if (age is { } a && a > StalledAfter)
        {
            throw new LiveFramesUnavailableException(string.Create(CultureInfo.InvariantCulture,
                $"The source has stalled: its newest frame is {a.TotalSeconds:F0} s old. Fix the camera, or adapt from a folder."), stalled: true);
        }

        if (distinct < minimumDistinct)
        {
            throw new LiveFramesUnavailableException(string.Create(CultureInfo.InvariantCulture,
                $"Adaptation needs at least {minimumDistinct} distinct live frames; the source gave {distinct} (a frozen camera repeats one frame)."), stalled: false);
        }

        return frames;
    }

    /// <summary>One processed frame. <paramref name="features"/> is the head's whitened features (empty without a novelty model).</summary>
    public void Observe(Mat frame, ReadOnlySpan<float> embedding, Prediction prediction, ReadOnlySpan<float> features)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(prediction);
        _recent.Add(embedding, prediction.FrameTime);
        if (!Options.Enabled)
        {
            return;
        }

        var labels = _labels;
        int predicted = prediction.TopK.Count > 0 && prediction.HeadVersion > 0 ? IndexOf(labels, prediction.TopK[0].Label) : -1;
        _monitor.Observe(_health.Measure(ImageView.Of(frame)), prediction.Novelty is null ? default : features, predicted,
            prediction.IsUnknown && prediction.HeadVersion > 0);
        bool keep;
        lock (_gate)
        {
            (keep, _keepExample) = (_keepExample, false);
        }

        if (keep)
        {
            Cv2.ImEncode(".jpg", frame, out var jpeg);
            lock (_gate)
            {
                _examples.Add(jpeg);
                if (_examples.Count > ExampleFrames)
                {
                    _examples.RemoveAt(0);
                }
            }
        }

        if (prediction.HeadVersion > 0 && prediction.TopK.Count > 0)
        {
            float margin = prediction.TopK.Count > 1 ? prediction.TopK[0].Probability - prediction.TopK[1].Probability : 1f;
            var candidate = new ReviewCandidate(prediction.TopK[0].Label, prediction.IsUnknown, prediction.Confidence, margin, prediction.Novelty, prediction.HeadVersion, prediction.FrameTime);
            Queue.Offer(candidate, embedding, () =>
            {
                Cv2.ImEncode(".jpg", frame, out var jpeg, new ImageEncodingParam(ImwriteFlags.JpegQuality, 92));
                return jpeg;
            });
        }
    }

    /// <summary>The source restarted: the next frame does not continue the previous one.</summary>
    public void SourceRestarted() => _health.Reset();

    private void OnHeadChanged(HeadClassifier? classifier)
    {
        _labels = classifier?.Labels ?? [];
        _monitor.SetReference(classifier?.Novelty);
    }

    private static int IndexOf(IReadOnlyList<string> labels, string label)
    {
        for (int i = 0; i < labels.Count; i++)
        {
            if (string.Equals(labels[i], label, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private void RegisterGauges(CollectorRegistry registry)
    {
        var factory = Metrics.WithCustomRegistry(registry);
        var value = factory.CreateGauge("edgeruntime_drift_statistic", "Drift monitor statistic over the live window (NaN while warming up).", "name");
        var threshold = factory.CreateGauge("edgeruntime_drift_threshold", "Threshold of each drift statistic.", "name");
        var raised = factory.CreateGauge("edgeruntime_drift_raised", "1 while a drift statistic is raised.", "name");
        var alarm = factory.CreateGauge("edgeruntime_drift_alarm", "1 while the drift alarm is up.");
        var recalibrate = factory.CreateGauge("edgeruntime_recalibration_recommended", "1 while the field has moved away from the calibration data.");
        var queued = factory.CreateGauge("edgeruntime_review_queue_items", "Frames waiting for review.");
        registry.AddBeforeCollectCallback(() =>
        {
            var report = _monitor.Report();
            foreach (var s in report.Statistics)
            {
                value.WithLabels(s.Name).Set(s.Value ?? double.NaN);
                threshold.WithLabels(s.Name).Set(s.Threshold ?? double.NaN);
                raised.WithLabels(s.Name).Set(s.Raised ? 1 : 0);
            }

            alarm.Set(report.Alarm ? 1 : 0);
            recalibrate.Set(report.RecalibrationRecommended ? 1 : 0);
            queued.Set(Queue.Statistics().Queued);
        });
    }
}
