using System.Runtime.Versioning;
using DeviceHost.Field;
using DeviceHost.Pipeline;
using EdgeRuntime.Drift;
using EdgeRuntime.Inference;
using EdgeRuntime.Review;
using EdgeRuntime.TestSupport;
using EdgeRuntime.TestSupport.Time;
using OpenCvSharp;

namespace DeviceHost.Tests.Field;

/// <summary>The live frames an adaptation takes from the field watch, on a manual clock.</summary>
[SupportedOSPlatform("linux")]
public sealed class FieldWatchTests : IDisposable
{
    private const int Dimension = 8;
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero));
    private readonly TestDirectory _data = new("edgeruntime-field-watch");
    private readonly ActiveHead _head = new();
    private readonly FieldWatch _watch;
    private readonly Mat _frame = new(48, 64, MatType.CV_8UC3, Scalar.All(110));
    private int _next;

    public FieldWatchTests()
    {
        _watch = new FieldWatch(new DriftOptions(), new ReviewOptions(), 100, _data.Path, _head, new PipelineMetrics(_time, 32), _time);
    }

    [Fact]
    public void Adapting_while_the_source_is_stalled_is_refused_with_the_frame_age_and_leaves_every_frame_for_the_next_request()
    {
        Stream(frames: 40);
        var before = _watch.LiveFrames(100, minimumDistinct: 32);

        // The camera stops delivering: nothing is observed while the clock runs on.
        _time.Advance(FieldWatch.StalledAfter + TimeSpan.FromSeconds(2));
        var refused = Assert.Throws<LiveFramesUnavailableException>(() => _watch.LiveFrames(100, minimumDistinct: 32));

        Assert.True(refused.Stalled);
        Assert.Contains("stalled", refused.Message, StringComparison.Ordinal);
        Assert.Contains("12 s old", refused.Message, StringComparison.Ordinal);

        // The source recovers: the frames from before the stall are all still there, followed by the new ones.
        Stream(frames: 5);
        var after = _watch.LiveFrames(100, minimumDistinct: 32);
        Assert.Equal(45 * Dimension, after.Length);
        Assert.Equal(before, after[..before.Length]);
    }

    [Fact]
    public void A_frozen_source_repeating_one_frame_gives_too_few_distinct_frames_and_says_so()
    {
        for (int i = 0; i < 40; i++)
        {
            Observe(Embedding(7));
        }

        var refused = Assert.Throws<LiveFramesUnavailableException>(() => _watch.LiveFrames(100, minimumDistinct: 32));

        Assert.False(refused.Stalled);
        Assert.Contains("at least 32 distinct live frames; the source gave 1", refused.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _frame.Dispose();
        _head.Dispose();
        _data.Dispose();
    }

    private void Stream(int frames)
    {
        for (int i = 0; i < frames; i++)
        {
            Observe(Embedding(_next++));
        }
    }

    private void Observe(float[] embedding)
    {
        _watch.Observe(_frame, embedding, new Prediction(null, 0, [], 0, _time.GetUtcNow(), TimeSpan.Zero), []);
        _time.Advance(TimeSpan.FromMilliseconds(200));
    }

    private static float[] Embedding(int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, Dimension).Select(_ => (float)random.NextDouble())];
    }
}
