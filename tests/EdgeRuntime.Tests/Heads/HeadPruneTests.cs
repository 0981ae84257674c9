using EdgeRuntime.TestSupport;

namespace EdgeRuntime.Tests.Heads;

public sealed class HeadPruneTests
{
    [Fact]
    public void Prune_keeps_the_newest_versions()
    {
        using var data = new TestDirectory();
        using var registry = TestHeads.Open(data);
        TestHeads.AddMany(registry, 5);
        registry.Activate(5, "newest");

        var pruned = registry.Prune(keepLast: 2);

        Assert.Equal([1, 2, 3], pruned);
        Assert.Equal([4, 5], registry.List().Select(v => v.Version));
        Assert.Empty(TestHeads.Leftovers(registry));
    }

    [Fact]
    public void Prune_never_deletes_the_active_version_or_its_rollback_target()
    {
        using var data = new TestDirectory();
        using var registry = TestHeads.Open(data);
        TestHeads.AddMany(registry, 6);
        registry.Activate(1, "first");
        registry.Activate(2, "second");

        var pruned = registry.Prune(keepLast: 2);

        Assert.Equal([3, 4], pruned);
        Assert.Equal([1, 2, 5, 6], registry.List().Select(v => v.Version));
        Assert.Equal(1, registry.Rollback("undo").Version);
    }

    [Fact]
    public void Numbers_are_not_reused_after_pruning()
    {
        using var data = new TestDirectory();
        using var registry = TestHeads.Open(data);
        TestHeads.AddMany(registry, 3);
        registry.Prune(keepLast: 1);

        Assert.Equal(4, registry.Add(TestHeads.Payload(4)).Version);
    }

    [Fact]
    public void Prune_refuses_to_keep_fewer_than_one_version()
    {
        using var data = new TestDirectory();
        using var registry = TestHeads.Open(data);

        var ex = Assert.Throws<EdgeRuntimeException>(() => registry.Prune(keepLast: 0));
        Assert.Contains("at least 1", ex.Message, StringComparison.Ordinal);
    }
}
