using EdgeRuntime.Review;
using EdgeRuntime.Samples;
using EdgeRuntime.TestSupport;
using EdgeRuntime.TestSupport.Time;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeRuntime.Tests.Review;

/// <summary>The hard-sample queue keeps few, distinct frames and hands exactly the chosen ones to the sample store.</summary>
public sealed class HardSampleQueueTests
{
    private static readonly ReviewOptions Options = new() { MaxPerMinute = 3, MaxItems = 5 };
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public void The_rate_cap_holds_per_minute_and_near_duplicates_are_dropped()
    {
        using var data = new TestDirectory("review-rate");
        var queue = new HardSampleQueue(data.Path, Options, _clock);

        var first = Enumerable.Range(0, 5).Select(i => queue.Offer(Novel(), Embedding(i), Jpeg)).ToList();
        var duplicate = queue.Offer(Novel(), Embedding(0, jitter: 1e-3f), Jpeg);
        _clock.Advance(TimeSpan.FromSeconds(61));
        var duplicateLater = queue.Offer(Novel(), Embedding(1, jitter: 1e-3f), Jpeg);
        var distinctLater = queue.Offer(Novel(), Embedding(7), Jpeg);
        var boring = queue.Offer(new ReviewCandidate("a", false, 0.99f, 0.9f, 0.1f, 1, _clock.GetUtcNow()), Embedding(8), Jpeg);

        Assert.Equal(3, first.Count(i => i is not null));
        Assert.Null(duplicate);
        Assert.Null(duplicateLater);
        Assert.NotNull(distinctLater);
        Assert.Null(boring);
        Assert.Equal(new ReviewStatistics(Queued: 4, Offered: 8, Added: 4, RateLimited: 3, Duplicates: 1, Evicted: 0), queue.Statistics());
        Assert.Equal(4, new HardSampleQueue(data.Path, Options, _clock).List().Count);
    }

    [Fact]
    public void Low_margin_and_class_flips_are_reasons_and_the_oldest_go_when_the_queue_is_full()
    {
        using var data = new TestDirectory("review-bound");
        var queue = new HardSampleQueue(data.Path, Options, _clock);
        var items = new List<ReviewItem?>();
        for (int i = 0; i < 8; i++)
        {
            _clock.Advance(TimeSpan.FromMinutes(1));
            items.Add(queue.Offer(new ReviewCandidate(i % 2 == 0 ? "a" : "b", false, 0.6f, 0.5f, 0.2f, 1, _clock.GetUtcNow()), Embedding(i), Jpeg));
        }

        var lowMargin = queue.Reasons(new ReviewCandidate("b", false, 0.5f, 0.02f, 0.2f, 1, _clock.GetUtcNow()));

        Assert.Null(items[0]);
        Assert.All(items.Skip(1), i => Assert.Equal([ReviewReason.Flip], i!.Reasons));
        Assert.Equal(items.Skip(3).Select(i => i!.Id), queue.List().Select(i => i.Id));
        Assert.Equal([ReviewReason.LowMargin], lowMargin);
        Assert.Equal(10, Directory.GetFiles(Path.Combine(data.Path, "review")).Length);
    }

    [Fact]
    public void Bulk_assignment_stores_exactly_the_chosen_frames_as_review_samples_and_discard_removes_others()
    {
        using var data = new TestDirectory("review-assign");
        var queue = new HardSampleQueue(data.Path, new ReviewOptions { MaxPerMinute = 10 }, _clock);
        var ids = Enumerable.Range(0, 4).Select(i => queue.Offer(Novel(), Embedding(i), () => Jpeg(i))!.Id).ToList();
        using var store = new SampleStore(data.Combine("samples"), new SampleStoreOptions(), NullLogger<SampleStore>.Instance);

        var missing = Assert.Throws<ReviewItemNotFoundException>(() => queue.Assign([ids[0], "nope"], _ => throw new InvalidOperationException("must not run")));
        int assigned = queue.Assign([ids[1], ids[3]], s => store.Add(s.Jpeg, "widget", SampleSource.Review, s.Item.CapturedUtc));
        int discarded = queue.Discard([ids[0]]);

        Assert.Equal(["nope"], missing.Ids);
        Assert.Equal((2, 1), (assigned, discarded));
        Assert.Equal([ids[2]], queue.List().Select(i => i.Id));
        var samples = store.ListRecent(0, 100);
        Assert.Equal(2, samples.Count);
        Assert.All(samples, s => Assert.Equal((SampleSource.Review, "widget"), (s.Source, s.Label)));
    }

    private ReviewCandidate Novel() => new("a", true, 0.4f, 0.3f, 9f, 1, _clock.GetUtcNow());

    private static float[] Embedding(int seed, float jitter = 0)
    {
        var random = new Random(seed);
        var noise = new Random(seed + 1000);
        return [.. Enumerable.Range(0, 64).Select(_ => (float)random.NextDouble() + (jitter * (float)noise.NextDouble()))];
    }

    private static byte[] Jpeg() => Jpeg(0);

    private static byte[] Jpeg(int seed) => SyntheticImageBytes.Jpeg(seed);
}
