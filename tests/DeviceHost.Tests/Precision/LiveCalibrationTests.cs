using System.Runtime.Versioning;
using DeviceHost.Pipeline;
using DeviceHost.Precision;
using DeviceHost.Tests.Hosting;
using EdgeRuntime.Embeddings;

namespace DeviceHost.Tests.Precision;

/// <summary>A device without stored samples calibrates its int8 backbone on frames of its own live source.</summary>
[SupportedOSPlatform("linux")]
[Collection(DeviceHostCollection.Name)]
public sealed class LiveCalibrationTests
{
    private const int Frames = 12;

    [Fact]
    public async Task Without_stored_samples_the_int8_backbone_is_calibrated_on_live_frames_and_runs_between_frames()
    {
        await using var host = await DeviceHostRunner.StartAsync(new Dictionary<string, string?>
        {
            ["Pipeline:Source"] = "synthetic:?scene=blobs&fps=10",
            ["Backbone:Precision"] = "Int8",
            ["Backbone:Quantization:MinimumImages"] = Frames.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Backbone:Quantization:MaximumImages"] = Frames.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var engine = host.GetService<BackboneService>().Engine;
        var metrics = host.GetService<PipelineMetrics>();
        Assert.Equal(BackbonePrecision.Fp32, engine.Info.Precision.Active);

        // Quantizing ResNet-18 takes seconds idle and minutes on a shared 2-core machine.
        await Poll.UntilTrueAsync(() => Task.FromResult(host.GetService<PrecisionService>().Stage.Stage is "done" or "failed"), TimeSpan.FromMinutes(10), "the background quantization");
        long processedAtSwitch = metrics.Processed;
        await Poll.UntilTrueAsync(() => Task.FromResult(metrics.Processed > processedAtSwitch + 3), TimeSpan.FromMinutes(2), "frames after the switch");

        var stage = host.GetService<PrecisionService>().Stage;
        Assert.True(stage.Stage == "done", $"{stage.Stage}: {stage.Message}");
        var info = engine.Info;
        Assert.Equal(BackbonePrecision.Int8, info.Precision.Active);
        var report = info.Precision.Quantization!;
        Assert.Equal("live", report.CalibrationOrigin);
        Assert.Equal(Frames, report.CalibrationImages + report.HeldBackImages);
        Assert.Contains(EmbeddingEngine.Int8HashMarker + report.CalibrationFingerprint[..8], info.BackboneHash, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(Path.Combine(host.DataDirectory, "backbones", "int8"), "*.onnx"));

        var status = await host.Client.GetJsonAsync("/status");
        var precision = status.GetProperty("precision");
        Assert.Equal("int8", precision.GetProperty("active").GetString());
        Assert.Equal("live", precision.GetProperty("quantization").GetProperty("calibrationOrigin").GetString());
        Assert.Equal(0, metrics.Failed);
    }
}
