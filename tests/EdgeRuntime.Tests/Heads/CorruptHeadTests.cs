using EdgeRuntime.Heads;
using EdgeRuntime.TestSupport;

namespace EdgeRuntime.Tests.Heads;

public sealed class CorruptHeadTests
{
    [Fact]
    public void A_head_file_with_a_changed_byte_is_refused_with_its_path_and_a_hash_reason()
    {
        using var data = new TestDirectory();
        using var registry = TestHeads.Open(data);
        TestHeads.AddMany(registry, 1);
        string path = TestHeads.FlipByte(registry, 1, "head.onnx");

        var ex = Assert.Throws<CorruptHeadException>(() => registry.Load(1));

        Assert.Equal((1, path), (ex.Version, ex.Path));
        Assert.StartsWith("SHA-256 ", ex.Reason, StringComparison.Ordinal);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<EdgeRuntimeException>(ex);
    }

    [Fact]
    public void A_truncated_checkpoint_is_refused_as_truncated()
    {
        using var data = new TestDirectory();
        using var registry = TestHeads.Open(data);
        var added = registry.Add(TestHeads.Payload(1, checkpointBytes: 1000));
        string path = Path.Combine(added.Directory, "checkpoint.bin");
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..400]);

        var ex = Assert.Throws<CorruptHeadException>(() => registry.Load(1));

        Assert.Equal(path, ex.Path);
        Assert.Equal("the file is 400 bytes but the manifest says 1000 (truncated)", ex.Reason);
    }

    [Fact]
    public void A_missing_head_file_is_refused_with_its_path()
    {
        using var data = new TestDirectory();
        using var registry = TestHeads.Open(data);
        var added = registry.Add(TestHeads.Payload(1));
        string path = Path.Combine(added.Directory, "head.onnx");
        File.Delete(path);

        var ex = Assert.Throws<CorruptHeadException>(() => registry.Load(1));

        Assert.Equal((path, "the file is missing"), (ex.Path, ex.Reason));
    }

    [Fact]
    public void A_manifest_that_does_not_parse_is_refused_and_the_version_left_out_of_the_list()
    {
        using var data = new TestDirectory();
        using var registry = TestHeads.Open(data);
        TestHeads.AddMany(registry, 2);
        string path = data.Combine("heads", "v0002", "manifest.json");
        File.WriteAllText(path, "{\"formatVersion\":1,\"version\":2,\"createdU");

        var ex = Assert.Throws<CorruptHeadException>(() => registry.Get(2));

        Assert.Equal(path, ex.Path);
        Assert.StartsWith("the manifest is not valid JSON", ex.Reason, StringComparison.Ordinal);
        Assert.Equal([1], registry.List().Select(v => v.Version));
    }

    [Fact]
    public void A_corrupt_active_head_falls_back_to_the_previously_active_valid_version_and_says_so()
    {
        using var data = new TestDirectory();
        using var registry = TestHeads.Open(data);
        TestHeads.AddMany(registry, 3);
        registry.Activate(1, "first");
        registry.Activate(3, "third; v2 was never activated");
        string path = TestHeads.FlipByte(registry, 3, "checkpoint.bin");

        var resolution = registry.ResolveActive();

        Assert.True(resolution.FellBack);
        Assert.Equal(3, resolution.ActiveVersion);
        Assert.Equal(1, resolution.Head!.Version);
        Assert.Equal(path, Assert.Single(resolution.Refused).Path);
        Assert.Equal(3, registry.ActiveVersion);
    }

    [Fact]
    public void With_no_valid_version_in_the_history_nothing_is_resolved_and_every_refusal_reported()
    {
        using var data = new TestDirectory();
        using var registry = TestHeads.Open(data);
        TestHeads.AddMany(registry, 2);
        registry.Activate(1, "first");
        registry.Activate(2, "second");
        TestHeads.FlipByte(registry, 1, "head.onnx");
        Directory.Delete(data.Combine("heads", "v0002"), recursive: true);

        var resolution = registry.ResolveActive();

        Assert.Null(resolution.Head);
        Assert.False(resolution.FellBack);
        Assert.Equal([2, 1], resolution.Refused.Select(r => r.Version));
        Assert.Equal("the version directory is missing", resolution.Refused[0].Reason);
    }
}
