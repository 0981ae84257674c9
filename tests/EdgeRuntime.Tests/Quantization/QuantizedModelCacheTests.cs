using EdgeRuntime.Quantization;
using EdgeRuntime.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeRuntime.Tests.Quantization;

public sealed class QuantizedModelCacheTests : IDisposable
{
    private readonly TestDirectory _data = new("int8-cache");

    public void Dispose() => _data.Dispose();

    [Fact]
    public void A_different_calibration_set_or_backbone_gives_a_different_entry()
    {
        var cache = new QuantizedModelCache(_data.Path, NullLogger.Instance);
        cache.Save(Entry("backbone-a", "set-1", [1, 2, 3]));
        cache.Save(Entry("backbone-a", "set-2", [4, 5, 6]));
        cache.Save(Entry("backbone-b", "set-1", [7, 8, 9]));

        Assert.Equal([1, 2, 3], cache.Load("backbone-a", "set-1")!.Model);
        Assert.Equal([4, 5, 6], cache.Load("backbone-a", "set-2")!.Model);
        Assert.Equal([7, 8, 9], cache.Load("backbone-b", "set-1")!.Model);
        Assert.Null(cache.Load("backbone-c", "set-1"));
        Assert.Equal(3, Directory.EnumerateFiles(cache.Directory, "*.onnx").Count());
    }

    [Fact]
    public void A_model_that_does_not_match_its_recorded_hash_is_refused_and_deleted()
    {
        var cache = new QuantizedModelCache(_data.Path, NullLogger.Instance);
        cache.Save(Entry("backbone-a", "set-1", [1, 2, 3]));
        File.WriteAllBytes(cache.ModelPath("backbone-a", "set-1"), [1, 2, 4]);

        Assert.Null(cache.Load("backbone-a", "set-1"));
        Assert.Null(cache.LoadLatest("backbone-a", requirePassed: false));
        Assert.Empty(Directory.EnumerateFiles(cache.Directory));
    }

    [Fact]
    public void Auto_only_takes_an_entry_that_passed_parity()
    {
        var cache = new QuantizedModelCache(_data.Path, NullLogger.Instance);
        cache.Save(Entry("backbone-a", "set-1", [1], passed: false));

        Assert.Null(cache.LoadLatest("backbone-a", requirePassed: true));
        Assert.Equal([1], cache.LoadLatest("backbone-a", requirePassed: false)!.Model);
    }

    [Fact]
    public void Leftovers_of_an_interrupted_write_are_deleted_and_never_loaded()
    {
        var cache = new QuantizedModelCache(_data.Path, NullLogger.Instance);
        Directory.CreateDirectory(cache.Directory);
        File.WriteAllBytes(cache.ModelPath("backbone-a", "set-1") + ".tmp-0123", [1, 2]);
        File.WriteAllBytes(cache.ModelPath("backbone-a", "set-2"), [3, 4]);

        Assert.Null(cache.LoadLatest("backbone-a", requirePassed: false));
        Assert.Equal(2, cache.DeleteIncomplete());
        Assert.Empty(Directory.EnumerateFiles(cache.Directory));
    }

    private static QuantizedBackbone Entry(string backbone, string fingerprint, byte[] model, bool passed = true)
    {
        var parity = new ParityReport(CalibrationMethod.Percentile, 10, passed ? 0.995 : 0.9, 0.98, null, null, passed, passed ? null : "too low");
        return new QuantizedBackbone(model, new QuantizationReport(backbone, fingerprint, "samples", 40, 10, CalibrationMethod.Percentile, [parity], passed, parity.Failure, 1, DateTimeOffset.UnixEpoch));
    }
}
