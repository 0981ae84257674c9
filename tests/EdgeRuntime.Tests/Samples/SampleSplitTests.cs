using EdgeRuntime.Samples;
using EdgeRuntime.TestSupport;

namespace EdgeRuntime.Tests.Samples;

public sealed class SampleSplitTests
{
    private static readonly string[] Classes = ["bolt", "nut", "washer", "screw", "gear"];

    [Fact]
    public void A_thousand_samples_hold_out_close_to_the_configured_share_and_every_class_has_both_splits()
    {
        using var dir = new TestDirectory();
        using var store = TestStores.Open(dir.Path, new SampleStoreOptions { HoldoutShare = 0.2 });

        AddSynthetic(store, 1000);

        var counts = store.GetClassCounts();
        var share = counts.Sum(c => c.Holdout) / 1000.0;

        // Binomial standard deviation at n = 1000, p = 0.2 is 0.0126; 0.04 is more than three of them.
        Assert.InRange(share, 0.16, 0.24);
        Assert.Equal(Classes.Length, counts.Count);
        Assert.All(counts, c => Assert.InRange(c.Holdout / (double)c.Total, 0.1, 0.3));
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    public void The_rule_holds_out_close_to_any_configured_share(double share)
    {
        // The rule alone, fed like the store feeds it (running per-class counts), on 1000 synthetic hashes.
        var counts = Classes.ToDictionary(c => c, _ => (Train: 0, Holdout: 0), StringComparer.Ordinal);
        for (var i = 0; i < 1000; i++)
        {
            var label = Classes[i % Classes.Length];
            var (train, holdout) = counts[label];
            var split = SplitRule.Assign(label, ContentHash.Of(SyntheticImageBytes.Jpeg(i, 64)), train, holdout, share);
            counts[label] = split == SampleSplit.Train ? (train + 1, holdout) : (train, holdout + 1);
        }

        // Three binomial standard deviations at n = 1000 is at most 0.048.
        Assert.InRange(counts.Values.Sum(c => c.Holdout) / 1000.0, share - 0.048, share + 0.048);
    }

    [Fact]
    public void Splits_are_the_same_in_two_stores_fed_in_different_orders()
    {
        using var dirA = new TestDirectory();
        using var dirB = new TestDirectory();
        using var a = TestStores.Open(dirA.Path);
        using var b = TestStores.Open(dirB.Path);
        var items = Enumerable.Range(0, 60).Select(i => (Bytes: SyntheticImageBytes.Jpeg(i), Label: Classes[i % Classes.Length])).ToList();

        foreach (var (bytes, label) in items)
        {
            a.Add(bytes, label, SampleSource.Import);
        }

        // Reversed within each class, but each class's first two samples stay first so the forced assignments match.
        foreach (var group in items.GroupBy(i => i.Label))
        {
            var list = group.ToList();
            foreach (var (bytes, label) in list.Take(2).Concat(Enumerable.Reverse(list.Skip(2))))
            {
                b.Add(bytes, label, SampleSource.Import);
            }
        }

        Assert.Equal(a.ComputeDatasetFingerprint(), b.ComputeDatasetFingerprint());
    }

    [Fact]
    public void Adding_samples_never_moves_existing_ones_between_splits()
    {
        using var dir = new TestDirectory();
        using var store = TestStores.Open(dir.Path);
        AddSynthetic(store, 30);
        var before = store.ListRecent(0, 1000).ToDictionary(s => s.Id, s => s.Split);

        AddSynthetic(store, 60, firstSeed: 30);

        var after = store.ListRecent(0, 1000).Where(s => before.ContainsKey(s.Id));
        Assert.All(after, s => Assert.Equal(before[s.Id], s.Split));
    }

    [Fact]
    public void The_first_sample_of_a_class_trains_and_the_second_is_held_out()
    {
        using var dir = new TestDirectory();
        using var store = TestStores.Open(dir.Path, new SampleStoreOptions { HoldoutShare = 0 });

        var first = store.Add(SyntheticImageBytes.Jpeg(1), "rare", SampleSource.Camera).Sample;
        var second = store.Add(SyntheticImageBytes.Jpeg(2), "rare", SampleSource.Camera).Sample;
        var third = store.Add(SyntheticImageBytes.Jpeg(3), "rare", SampleSource.Camera).Sample;

        Assert.Equal(SampleSplit.Train, first.Split);
        Assert.Equal(SampleSplit.Holdout, second.Split);
        Assert.Equal(SampleSplit.Train, third.Split);
    }

    [Fact]
    public void The_score_is_uniform_enough_and_depends_on_label_and_hash()
    {
        var scores = Enumerable.Range(0, 4000).Select(i => SplitRule.Score("c", i.ToString("x64", System.Globalization.CultureInfo.InvariantCulture))).ToList();

        Assert.All(scores, s => Assert.InRange(s, 0.0, 0.9999999999));
        Assert.InRange(scores.Count(s => s < 0.5) / 4000.0, 0.47, 0.53);
        Assert.NotEqual(SplitRule.Score("a", new string('0', 64)), SplitRule.Score("b", new string('0', 64)));
    }

    private static void AddSynthetic(SampleStore store, int count, int firstSeed = 0)
    {
        for (var i = firstSeed; i < firstSeed + count; i++)
        {
            store.Add(SyntheticImageBytes.Jpeg(i, 64), Classes[i % Classes.Length], SampleSource.Import);
        }
    }
}
