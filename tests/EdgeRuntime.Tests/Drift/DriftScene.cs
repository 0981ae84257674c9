using EdgeRuntime.Drift;
using EdgeRuntime.Novelty;
using EdgeRuntime.Preprocessing;
using EdgeRuntime.TestSupport;
using EdgeRuntime.TestSupport.Images;
using EdgeRuntime.TestSupport.Time;
using OpenCvSharp;

namespace EdgeRuntime.Tests.Drift;

/// <summary>
/// Feeds a <see cref="DriftMonitor"/> live-like frames at 10 frames per second on a manual clock: a few real frames of
/// each kind (with sensor noise, embedded once by the real backbone) repeat in turn, so minutes of stream cost seconds.
/// </summary>
internal sealed class DriftScene : IDisposable
{
    public static readonly TimeSpan FramePeriod = TimeSpan.FromMilliseconds(100);

    private readonly BackboneFixture _backbone;
    private readonly NoveltyDetector _detector;
    private readonly ImageHealth _health = new();
    private readonly List<(Mat Frame, float[] Embedding)> _frames = [];
    private int _frame;

    public DriftScene(BackboneFixture backbone, NoveltyDetector detector, DriftOptions options)
    {
        (_backbone, _detector) = (backbone, detector);
        Clock = new ManualTimeProvider(new DateTimeOffset(2026, 1, 1, 8, 0, 0, TimeSpan.Zero));
        Monitor = new DriftMonitor(options, Clock);
        Monitor.SetReference(detector);
        Monitor.Changed += (_, report) => Changes.Add(report);
    }

    public ManualTimeProvider Clock { get; }

    public DriftMonitor Monitor { get; }

    public List<DriftReport> Changes { get; } = [];

    /// <summary>Noisy renderings of one picture, as a camera sees a still scene.</summary>
    public static IEnumerable<Mat> Still(ImageFamily family, int seed, int count = 6)
    {
        using var scene = SyntheticImages.Create(family, new Random(seed));
        for (int i = 0; i < count; i++)
        {
            var frame = scene.Clone();
            using var noise = new Mat(frame.Size(), MatType.CV_16SC3);
            Cv2.Randn(noise, new Scalar(0, 0, 0), new Scalar(4, 4, 4));
            using var wide = new Mat();
            frame.ConvertTo(wide, MatType.CV_16SC3);
            Cv2.Add(wide, noise, wide);
            wide.ConvertTo(frame, MatType.CV_8UC3);
            yield return frame;
        }
    }

    /// <summary>Switches the stream to these frames (owned by the scene from now on).</summary>
    public void Show(IEnumerable<Mat> frames)
    {
        foreach (var (frame, _) in _frames)
        {
            frame.Dispose();
        }

        _frames.Clear();
        foreach (var frame in frames)
        {
            _frames.Add((frame, _backbone.Engine.Embed(frame)));
        }

        _frame = 0;
    }

    /// <summary>Streams the current frames for <paramref name="duration"/>; returns the first time the alarm was up, if it was.</summary>
    public TimeSpan? Run(TimeSpan duration)
    {
        var start = Clock.GetUtcNow();
        TimeSpan? firstAlarm = null;
        var whitened = new float[_detector.Model.Dimension];
        for (var elapsed = TimeSpan.Zero; elapsed < duration; elapsed += FramePeriod)
        {
            var (frame, embedding) = _frames[_frame++ % _frames.Count];
            float score = _detector.Model.Score(_detector.Settings.Kind, embedding, whitened);
            _detector.Model.Score(NoveltyScoreKind.Mahalanobis, embedding, whitened);
            Monitor.Observe(_health.Measure(ImageView.Of(frame)), whitened, _detector.Model.NearestClass(whitened), _detector.IsUnknown(score, 1f));
            if (firstAlarm is null && Monitor.Report().Alarm)
            {
                firstAlarm = Clock.GetUtcNow() - start;
            }

            Clock.Advance(FramePeriod);
        }

        return firstAlarm;
    }

    public void Dispose()
    {
        Show([]);
    }
}
