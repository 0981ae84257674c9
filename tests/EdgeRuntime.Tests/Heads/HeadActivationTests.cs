using System.Text.Json;
using EdgeRuntime.Heads;
using EdgeRuntime.TestSupport;

namespace EdgeRuntime.Tests.Heads;

public sealed class HeadActivationTests
{
    [Fact]
    public void A_new_registry_has_no_active_head()
    {
        using var data = new TestDirectory();
        using var registry = TestHeads.Open(data);

        var resolution = registry.ResolveActive();

        Assert.Null(registry.ActiveVersion);
        Assert.Null(resolution.Head);
        Assert.False(resolution.FellBack);
        var ex = Assert.Throws<EdgeRuntimeException>(() => registry.Rollback("test"));
        Assert.Contains("no head has ever been activated", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rollback_restores_the_previously_active_version_and_then_the_one_before()
    {
        using var data = new TestDirectory();
        using var registry = TestHeads.Open(data);
        TestHeads.AddMany(registry, 3);
        registry.Activate(1, "first");
        registry.Activate(2, "better");
        registry.Activate(3, "better again", forced: true);

        var back = registry.Rollback("line 3 complains");

        Assert.Equal((2, ActivationKind.Rollback), (back.Version, back.Kind));
        Assert.Equal(3, back.PreviousVersion);
        Assert.Equal(2, registry.ActiveVersion);
        Assert.Equal(1, registry.RollbackTarget);
        registry.Rollback("still bad");
        Assert.Equal(1, registry.ActiveVersion);
        Assert.Null(registry.RollbackTarget);
        var ex = Assert.Throws<EdgeRuntimeException>(() => registry.Rollback("again"));
        Assert.Contains("Cannot roll back from v1", ex.Message, StringComparison.Ordinal);
        Assert.Equal([1, 2, 3, 2, 1], registry.History.Select(h => h.Version));
        Assert.True(registry.History[2].Forced);
    }

    [Fact]
    public void The_active_version_and_history_survive_reopening()
    {
        using var data = new TestDirectory();
        using (var registry = TestHeads.Open(data))
        {
            TestHeads.AddMany(registry, 2);
            registry.Activate(1, "first");
            registry.Activate(2, "second");
        }

        using var reopened = TestHeads.Open(data);

        Assert.Equal(2, reopened.ActiveVersion);
        Assert.Equal(1, reopened.RollbackTarget);
        Assert.Equal("second", reopened.History[^1].Reason);
        Assert.Equal(2, reopened.ResolveActive().Head!.Version);
    }

    [Fact]
    public void Activating_the_active_version_again_changes_nothing()
    {
        using var data = new TestDirectory();
        using var registry = TestHeads.Open(data);
        TestHeads.AddMany(registry, 1);
        registry.Activate(1, "first");

        registry.Activate(1, "again");

        Assert.Single(registry.History);
    }

    [Fact]
    public void A_temp_file_left_by_an_interrupted_switch_is_ignored_and_removed_at_open()
    {
        using var data = new TestDirectory();
        using (var registry = TestHeads.Open(data))
        {
            TestHeads.AddMany(registry, 2);
            registry.Activate(1, "first");
        }

        string stray = data.Combine("heads", "active.json.tmp-5f3a");
        File.WriteAllText(stray, "{\"version\":2,\"seq");

        using var reopened = TestHeads.Open(data);

        Assert.Equal(1, reopened.ActiveVersion);
        Assert.False(File.Exists(stray));
        Assert.Empty(TestHeads.Leftovers(reopened));
    }

    [Fact]
    public void A_history_entry_from_a_switch_interrupted_before_its_commit_is_ignored()
    {
        using var data = new TestDirectory();
        using (var registry = TestHeads.Open(data))
        {
            TestHeads.AddMany(registry, 2);
            registry.Activate(1, "first");
        }

        // The crash came after history.json gained the entry and before active.json was replaced.
        string historyPath = data.Combine("heads", "history.json");
        var history = JsonSerializer.Deserialize<List<ActivationRecord>>(File.ReadAllText(historyPath), EdgeRuntime.Evaluation.EvaluationJson.Options)!;
        history.Add(history[0] with { Sequence = 2, Version = 2, PreviousVersion = 1, Reason = "interrupted" });
        File.WriteAllText(historyPath, JsonSerializer.Serialize(history, EdgeRuntime.Evaluation.EvaluationJson.Options));

        using var reopened = TestHeads.Open(data);

        Assert.Equal(1, reopened.ActiveVersion);
        Assert.Single(reopened.History);
        Assert.Null(reopened.RollbackTarget);
        reopened.Activate(2, "done properly");
        Assert.Equal([1L, 2L], reopened.History.Select(h => h.Sequence));
        Assert.Equal("done properly", reopened.History[1].Reason);
    }

    [Fact]
    public void Activating_a_corrupt_version_is_refused_and_the_active_one_stays()
    {
        using var data = new TestDirectory();
        using var registry = TestHeads.Open(data);
        TestHeads.AddMany(registry, 2);
        registry.Activate(1, "first");
        string path = TestHeads.FlipByte(registry, 2, "head.onnx");

        var ex = Assert.Throws<CorruptHeadException>(() => registry.Activate(2, "newer"));

        Assert.Equal(path, ex.Path);
        Assert.Equal(1, registry.ActiveVersion);
    }
}
