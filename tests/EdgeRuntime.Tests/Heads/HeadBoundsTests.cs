using EdgeRuntime.Calibration;
using EdgeRuntime.Heads;
using EdgeRuntime.TestSupport;

namespace EdgeRuntime.Tests.Heads;

/// <summary>What grows with every switch or request is bounded.</summary>
public sealed class HeadBoundsTests
{
    [Fact]
    public void The_activation_history_keeps_its_newest_entries_and_rollback_still_works()
    {
        using var data = new TestDirectory();
        int active;
        using (var registry = TestHeads.Open(data))
        {
            TestHeads.AddMany(registry, 2);
            for (int i = 0; i < ActivationLog.MaxEntries + 40; i++)
            {
                registry.Activate(1 + (i % 2), "flip");
            }

            Assert.Equal(ActivationLog.MaxEntries, registry.History.Count);
            Assert.Equal(ActivationLog.MaxEntries + 40, registry.History[^1].Sequence);
            active = registry.ActiveVersion!.Value;
            Assert.Equal(3 - active, registry.Rollback("back").Version);
        }

        using var reopened = TestHeads.Open(data);
        Assert.Equal(3 - active, reopened.ActiveVersion);
        Assert.Equal(ActivationLog.MaxEntries, reopened.History.Count);
    }

    [Fact]
    public void A_note_longer_than_the_limit_is_refused_before_training()
    {
        var request = new TrainRequest { Note = new string('n', TrainRequest.MaxNoteLength + 1) };

        Assert.Contains("at most 1000", request.Problem(), StringComparison.Ordinal);
        Assert.Null((request with { Note = new string('n', TrainRequest.MaxNoteLength) }).Problem());
    }

    [Fact]
    public void Listing_reads_each_manifest_once_and_forgets_pruned_versions()
    {
        using var data = new TestDirectory();
        using var registry = TestHeads.Open(data);
        TestHeads.AddMany(registry, 3);
        Assert.Equal([1, 2, 3], registry.List().Select(v => v.Version));

        // A manifest made unreadable after the first listing is not read again: listing costs no file reads.
        File.WriteAllText(Path.Combine(registry.HeadsDirectory, "v0002", HeadFiles.Manifest), "{");
        Assert.Equal([1, 2, 3], registry.List().Select(v => v.Version));

        registry.Activate(3, "keep");
        registry.Prune(1);
        Assert.Equal([3], registry.List().Select(v => v.Version));
    }
}
