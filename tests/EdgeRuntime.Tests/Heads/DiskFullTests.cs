using EdgeRuntime.Heads;
using EdgeRuntime.TestSupport;

namespace EdgeRuntime.Tests.Heads;

public sealed class DiskFullTests
{
    [Fact]
    public void Adding_on_a_full_disk_fails_clearly_leaves_nothing_behind_and_keeps_the_active_head()
    {
        using var data = new TestDirectory();
        var disk = new SpaceLimitedFileSystem(freeBytes: long.MaxValue);
        using (var registry = TestHeads.Open(data, disk))
        {
            TestHeads.AddMany(registry, 1);
            registry.Activate(1, "first");
            disk.FreeBytes = 3000; // room for head.onnx, not for all of checkpoint.bin

            var ex = Assert.Throws<EdgeRuntimeException>(() => registry.Add(TestHeads.Payload(2, headBytes: 1000, checkpointBytes: 4000)));

            Assert.Contains("No space left on device", ex.Message, StringComparison.Ordinal);
            Assert.Contains("Nothing was stored", ex.Message, StringComparison.Ordinal);
            Assert.IsType<IOException>(ex.InnerException);
            Assert.Empty(TestHeads.Leftovers(registry));
            Assert.Equal([1], registry.List().Select(v => v.Version));
            var resolution = registry.ResolveActive();
            Assert.Equal(1, resolution.Head!.Version);
            Assert.False(resolution.FellBack);
        }

        using var reopened = TestHeads.Open(data);
        Assert.Equal(1, reopened.ActiveVersion);
        Assert.Equal(2, reopened.Add(TestHeads.Payload(2)).Version);
    }

    [Fact]
    public void Switching_on_a_full_disk_fails_clearly_and_the_previous_head_stays_active()
    {
        using var data = new TestDirectory();
        var disk = new SpaceLimitedFileSystem(freeBytes: long.MaxValue);
        using (var registry = TestHeads.Open(data, disk))
        {
            TestHeads.AddMany(registry, 2);
            registry.Activate(1, "first");
            disk.FreeBytes = 10;

            var ex = Assert.Throws<EdgeRuntimeException>(() => registry.Activate(2, "second"));

            Assert.Contains("v1 stays active", ex.Message, StringComparison.Ordinal);
            Assert.Equal(1, registry.ActiveVersion);
            Assert.Single(registry.History);
            Assert.Empty(TestHeads.Leftovers(registry));
        }

        using var reopened = TestHeads.Open(data);
        Assert.Equal(1, reopened.ActiveVersion);
        Assert.Equal(1, reopened.ResolveActive().Head!.Version);
    }

    [Fact]
    public void A_full_disk_between_the_history_and_the_active_pointer_leaves_the_previous_head_active()
    {
        using var data = new TestDirectory();
        var disk = new SpaceLimitedFileSystem(freeBytes: long.MaxValue);
        using (var registry = TestHeads.Open(data, disk))
        {
            TestHeads.AddMany(registry, 2);
            registry.Activate(1, "first");
            long historySize = new FileInfo(data.Combine("heads", "history.json")).Length;
            disk.FreeBytes = (historySize * 2) + 20; // the two-entry history fits, the active pointer after it does not

            Assert.Throws<EdgeRuntimeException>(() => registry.Activate(2, "second"));
            Assert.Equal(1, registry.ActiveVersion);
            Assert.Contains("\"second\"", File.ReadAllText(data.Combine("heads", "history.json")), StringComparison.Ordinal);
        }

        using var reopened = TestHeads.Open(data);
        Assert.Equal(1, reopened.ActiveVersion);
        Assert.Single(reopened.History);
    }

    [TmpfsFact]
    public void Adding_on_a_really_full_tmpfs_fails_clearly_and_keeps_the_active_head()
    {
        using var data = new TestDirectory("tmpfs");
        using var mount = TmpfsMount.TryMount(data.Path, "256k", out string? failure);
        Assert.True(mount is not null, failure);
        using var registry = TestHeads.Open(data);
        TestHeads.AddMany(registry, 1);
        registry.Activate(1, "first");

        var ex = Assert.Throws<EdgeRuntimeException>(() => registry.Add(TestHeads.Payload(2, headBytes: 64 * 1024, checkpointBytes: 320 * 1024)));

        Assert.IsAssignableFrom<IOException>(ex.InnerException);
        Assert.Empty(TestHeads.Leftovers(registry));
        Assert.Equal([1], registry.List().Select(v => v.Version));
        Assert.Equal(1, registry.ResolveActive().Head!.Version);
        Assert.Equal(2, registry.Add(TestHeads.Payload(2)).Version); // the failed write's space was given back
    }
}
