using EdgeRuntime.Embeddings;
using EdgeRuntime.Execution;
using EdgeRuntime.Models;
using EdgeRuntime.Precision;
using EdgeRuntime.Quantization;
using EdgeRuntime.TestSupport;
using EdgeRuntime.TestSupport.Images;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;
using Xunit.Abstractions;

namespace EdgeRuntime.Tests.Quantization;

[Collection(Int8TestGroup.Name)]
public sealed class PrecisionSwitchTests(QuantizedBackboneFixture fixture, ITestOutputHelper output) : IDisposable
{
    private readonly TestDirectory _data = new("precision-switch");

    public void Dispose() => _data.Dispose();

    [Fact]
    public void An_all_black_calibration_fails_the_parity_check_and_leaves_fp32_active()
    {
        using var engine = fixture.LoadEngine(BackbonePrecision.Auto);
        var fp32Hash = engine.BackboneHash;
        var report = Switch().QuantizeAndSwitch(engine, Black(40), head: null);

        output.WriteLine($"{report.Chosen}: {report.Reason}");
        Assert.False(report.Passed);
        Assert.Equal(BackbonePrecision.Fp32, engine.Info.Precision.Active);
        Assert.Equal(fp32Hash, engine.BackboneHash);
        Assert.Contains("parity", engine.Info.Precision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Scales_calibrated_on_black_frames_fail_parity_on_real_pictures()
    {
        var quantized = fixture.Quantizer().Quantize(fixture.Prepared, fixture.Fp32.Info.Fp32Hash, fixture.Manifest.Input, EdgeRuntime.Preprocessing.ResizeMode.CenterCrop, fixture.Fp32.Dimension,
            Black(40), parityImages: QuantizedBackboneFixture.Generated(seed: 41, perFamily: 5));

        output.WriteLine(string.Join("; ", quantized.Report.Candidates.Select(c => $"{c.Method} median cosine {c.MedianCosine:F4}")));
        Assert.False(quantized.Report.Passed);
        Assert.All(quantized.Report.Candidates, c => Assert.True(c.MedianCosine < 0.99, $"{c.Method}: {c.MedianCosine}"));
    }

    [Fact]
    public void Fewer_calibration_images_than_the_minimum_give_a_clear_message_and_keep_fp32()
    {
        using var engine = fixture.LoadEngine(BackbonePrecision.Auto);
        var few = QuantizedBackboneFixture.Generated(seed: 3, perFamily: 2);

        var error = Assert.Throws<QuantizationException>(() => Switch().QuantizeAndSwitch(engine, few, head: null));

        Assert.Contains("at least 40 calibration images", error.Message, StringComparison.Ordinal);
        Assert.Contains($"; {few.Count} samples are stored", error.Message, StringComparison.Ordinal);
        Assert.Contains("stays fp32", error.Message, StringComparison.Ordinal);
        Assert.Equal(BackbonePrecision.Fp32, engine.Info.Precision.Active);
        Assert.Equal(error.Message, engine.Info.Precision.Reason);
    }

    [Fact]
    public void A_running_engine_switches_to_int8_between_frames_and_reports_a_new_backbone_hash()
    {
        using var engine = fixture.LoadEngine(BackbonePrecision.Auto);
        using var frame = SyntheticImages.Create(ImageFamily.Rings, new Random(4));
        var before = engine.Embed(frame);
        var fp32Hash = engine.BackboneHash;

        engine.SwitchModel(BackbonePrecisionSwitch.Choice(BackbonePrecision.Auto, fixture.Quantized.Report, fixture.Quantized.Model));
        var after = engine.Embed(frame);

        Assert.Equal(BackbonePrecision.Int8, engine.Info.Precision.Active);
        Assert.StartsWith(fp32Hash + "-int8-", engine.BackboneHash, StringComparison.Ordinal);
        Assert.Equal(fp32Hash, engine.Info.Fp32Hash);
        Assert.NotEqual(before, after);
        Assert.True(ParityCheck.Cosine(before, after) > 0.98);
    }

    [Fact]
    public void A_cached_int8_model_is_chosen_at_load_for_auto_but_never_for_fp32()
    {
        Switch().Cache.Save(fixture.Quantized);

        using var auto = fixture.LoadEngine(BackbonePrecision.Auto, Switch().AtLoad(new BackboneOptions { Precision = BackbonePrecision.Auto }));
        using var fp32 = fixture.LoadEngine(BackbonePrecision.Fp32, Switch().AtLoad(new BackboneOptions { Precision = BackbonePrecision.Fp32 }));

        Assert.Equal(BackbonePrecision.Int8, auto.Info.Precision.Active);
        Assert.Equal(fixture.Quantized.Report.CalibrationFingerprint, auto.Info.Precision.Quantization!.CalibrationFingerprint);
        Assert.Equal(BackbonePrecision.Fp32, fp32.Info.Precision.Active);
    }

    [Fact]
    public void A_corrupted_cached_model_is_refused_at_load_and_the_next_quantization_rebuilds_it()
    {
        var precision = Switch();
        precision.Cache.Save(fixture.Quantized);
        var report = fixture.Quantized.Report;
        var path = precision.Cache.ModelPath(report.BackboneHash, report.CalibrationFingerprint);
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x5A;
        File.WriteAllBytes(path, bytes);

        using var engine = fixture.LoadEngine(BackbonePrecision.Auto, precision.AtLoad(new BackboneOptions { Precision = BackbonePrecision.Auto }));

        Assert.Equal(BackbonePrecision.Fp32, engine.Info.Precision.Active);
        Assert.False(File.Exists(path));
        precision.Cache.Save(fixture.Quantized);
        Assert.Equal(fixture.Quantized.Model, precision.Cache.Load(report.BackboneHash, report.CalibrationFingerprint)!.Model);
    }

    [Fact]
    public void The_backbone_identity_read_without_preparing_the_graph_is_the_prepared_backbones()
    {
        Assert.Equal(fixture.Prepared.Identity, BackboneIdentity.Of(fixture.Manifest));
    }

    [Fact]
    public void An_int8_session_on_the_CPU_never_asks_for_the_fp32_graph()
    {
        using var handle = fixture.Factory.CreateInt8(
            new Int8Models(fixture.Quantized.Model, () => throw new InvalidOperationException("the fp32 graph was prepared"), null), "lazy");

        Assert.True(handle.RunsInt8);
    }

    private BackbonePrecisionSwitch Switch() => new(_data.Path, fixture.Factory, NullLoggerFactory.Instance);

    /// <summary>Black pictures of slightly different sizes (identical bytes would count as one image).</summary>
    private static CalibrationImageSet Black(int count) =>
        CalibrationImageSet.FromEncoded(Enumerable.Range(0, count).Select(i =>
        {
            using var mat = new Mat(240, 320 + i, MatType.CV_8UC3, Scalar.Black);
            return mat.ImEncode(".png");
        }), "live");
}
