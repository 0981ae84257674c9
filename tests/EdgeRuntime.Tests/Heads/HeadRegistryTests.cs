using EdgeRuntime.TestSupport.Time;
using System.Security.Cryptography;
using System.Text.Json;
using EdgeRuntime.Heads;
using EdgeRuntime.TestSupport;

namespace EdgeRuntime.Tests.Heads;

public sealed class HeadRegistryTests
{
    [Fact]
    public void Added_versions_are_numbered_in_order_each_in_its_own_directory()
    {
        using var data = new TestDirectory();
        using var registry = TestHeads.Open(data);

        var v1 = registry.Add(TestHeads.Payload(1));
        var v2 = registry.Add(TestHeads.Payload(2));

        Assert.Equal((1, "v1", 2, "v2"), (v1.Version, v1.Name, v2.Version, v2.Name));
        Assert.Equal(data.Combine("heads", "v0002"), v2.Directory);
        Assert.Equal(["checkpoint.bin", "head.onnx", "manifest.json"], Directory.GetFiles(v2.Directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal([1, 2], registry.List().Select(v => v.Version));
        Assert.Null(registry.ActiveVersion);
    }

    [Fact]
    public void The_manifest_records_hashes_sizes_and_what_the_trainer_said()
    {
        using var data = new TestDirectory();
        var time = new ManualTimeProvider(TestHeads.Start);
        using var registry = TestHeads.Open(data, time: time);
        var payload = TestHeads.Payload(7, headBytes: 300) with { ParentVersion = 4, UnknownThresholdOverridden = true };

        var added = registry.Add(payload);

        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(added.Directory, "manifest.json")));
        var root = json.RootElement;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(payload.HeadOnnx.Span)), root.GetProperty("headOnnxSha256").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(payload.Checkpoint.Span)), root.GetProperty("checkpointSha256").GetString());
        Assert.Equal(300, root.GetProperty("headOnnxBytes").GetInt64());
        Assert.Equal("v1", root.GetProperty("name").GetString());
        Assert.Equal("gpio", root.GetProperty("trigger").GetProperty("source").GetString());
        Assert.Equal("activate", root.GetProperty("gate").GetProperty("outcome").GetString());
        Assert.Equal(30, root.GetProperty("trainingSettings").GetProperty("epochs").GetInt32());
        Assert.Equal(TestHeads.Start, root.GetProperty("createdUtc").GetDateTimeOffset());

        var read = registry.Get(1).Manifest;
        Assert.Equal(4, read.ParentVersion);
        Assert.Equal((true, 0.6, "ds-7"), (read.UnknownThresholdOverridden, read.UnknownThreshold, read.DatasetFingerprint));
        Assert.Equal(["ok", "scratch"], read.Labels);
        Assert.Equal(payload.HoldoutMetrics!.Accuracy, read.HoldoutMetrics!.Accuracy);
    }

    [Fact]
    public void Concurrent_adds_each_get_their_own_version_number()
    {
        using var data = new TestDirectory();
        using var registry = TestHeads.Open(data);

        var versions = new int[8];
        Parallel.For(0, versions.Length, i => versions[i] = registry.Add(TestHeads.Payload(i + 1)).Version);

        Assert.Equal(Enumerable.Range(1, 8), versions.Order());
        Assert.All(registry.List(), v => Assert.Equal(v.Version, registry.Load(v.Version).Version));
    }

    [Fact]
    public void Versions_survive_reopening_and_numbering_continues()
    {
        using var data = new TestDirectory();
        using (var registry = TestHeads.Open(data))
        {
            TestHeads.AddMany(registry, 2);
        }

        using var reopened = TestHeads.Open(data);
        Assert.Equal(3, reopened.Add(TestHeads.Payload(3)).Version);
        Assert.Equal(TestHeads.Payload(1).HeadOnnx.ToArray(), reopened.Load(1).HeadOnnx.ToArray());
    }

    [Fact]
    public void A_second_registry_on_the_same_directory_is_refused()
    {
        using var data = new TestDirectory();
        using var first = TestHeads.Open(data);

        var ex = Assert.Throws<EdgeRuntimeException>(() => TestHeads.Open(data));
        Assert.Contains(first.HeadsDirectory, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_payload_with_a_repeated_label_is_refused_naming_it()
    {
        using var data = new TestDirectory();
        using var registry = TestHeads.Open(data);

        var ex = Assert.Throws<EdgeRuntimeException>(() => registry.Add(TestHeads.Payload(1) with { Labels = ["ok", "dent", "ok"], HoldoutMetrics = null }));
        Assert.Contains("'ok'", ex.Message, StringComparison.Ordinal);
        Assert.Empty(registry.List());
    }

    [Fact]
    public void Metrics_for_other_labels_than_the_head_are_refused()
    {
        using var data = new TestDirectory();
        using var registry = TestHeads.Open(data);

        var ex = Assert.Throws<EdgeRuntimeException>(() => registry.Add(TestHeads.Payload(1) with { Labels = ["scratch", "ok"] }));
        Assert.Contains("HoldoutMetrics", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Asking_for_a_version_that_does_not_exist_names_it_and_what_is_stored()
    {
        using var data = new TestDirectory();
        using var registry = TestHeads.Open(data);
        TestHeads.AddMany(registry, 2);

        var ex = Assert.Throws<EdgeRuntimeException>(() => registry.Get(9));
        Assert.Contains("no head v9", ex.Message, StringComparison.Ordinal);
        Assert.Contains("v1, v2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_directory_left_by_an_interrupted_add_is_removed_at_open_and_never_listed()
    {
        using var data = new TestDirectory();
        string leftover = data.Combine("heads", ".tmp-add-0123");
        Directory.CreateDirectory(leftover);
        File.WriteAllBytes(Path.Combine(leftover, "head.onnx"), [1, 2, 3]);

        using var registry = TestHeads.Open(data);

        Assert.False(Directory.Exists(leftover));
        Assert.Empty(registry.List());
        Assert.Equal(1, registry.Add(TestHeads.Payload(1)).Version);
    }
}
