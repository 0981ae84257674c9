using EdgeRuntime.Execution;
using EdgeRuntime.Tests.Quantization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeRuntime.Tests.Execution;

[Collection(Int8TestGroup.Name)]
public sealed class Int8SessionTests(QuantizedBackboneFixture fixture)
{
    [Fact]
    public void The_cpu_runs_the_qdq_model_as_int8()
    {
        using var handle = fixture.Factory.CreateInt8(new Int8Models(fixture.Quantized.Model, () => fixture.Prepared.Model, null), "resnet18");

        Assert.True(handle.RunsInt8);
        Assert.Null(handle.Int8Refusal);
        Assert.Equal(ExecutionProvider.Cpu, handle.Provider);
    }

    [Fact]
    public void A_provider_that_refuses_the_int8_graph_runs_the_fp32_model_and_says_why()
    {
        var broken = (byte[])fixture.Quantized.Model.Clone();
        Array.Fill(broken, (byte)0xFF, 0, 64);

        using var handle = fixture.Factory.CreateInt8(new Int8Models(broken, () => fixture.Prepared.Model, null), "resnet18");

        Assert.False(handle.RunsInt8);
        Assert.StartsWith("Cpu: ", handle.Int8Refusal, StringComparison.Ordinal);
        Assert.Contains(fixture.Prepared.OutputName, handle.Session.OutputNames);
    }

    [Fact]
    public void TensorRt_gets_its_int8_mode_with_the_calibration_table_from_the_engine_cache_directory()
    {
        var factory = new OrtSessionFactory(new ExecutionOptions { TensorRtFp16 = true }, NullLogger<OrtSessionFactory>.Instance);
        var table = Path.Combine(Path.GetTempPath(), $"trt-{Guid.NewGuid():N}", TensorRtCalibrationTable.FileName);

        var settings = factory.TensorRtSettings(table);

        Assert.Equal("1", settings["trt_int8_enable"]);
        Assert.Equal("1", settings["trt_int8_use_native_calibration_table"]);
        Assert.Equal(TensorRtCalibrationTable.FileName, settings["trt_int8_calibration_table_name"]);
        Assert.Equal(Path.GetDirectoryName(table), settings["trt_engine_cache_path"]);
        Assert.Equal("1", settings["trt_fp16_enable"]);
        Assert.False(factory.TensorRtSettings(null).ContainsKey("trt_int8_enable"));
        Directory.Delete(Path.GetDirectoryName(table)!);
    }

    [Fact]
    public void The_tensorrt_calibration_table_holds_every_calibrated_tensor_with_its_scale_as_big_endian_hex()
    {
        var text = TensorRtCalibrationTable.Write(new Dictionary<string, (float, float)> { ["relu1"] = (0f, 12.7f), ["add3"] = (-25.4f, 3f) });

        Assert.StartsWith("TRT-", text, StringComparison.Ordinal);
        Assert.Contains("relu1: 3dcccccd", text, StringComparison.Ordinal);
        var scales = TensorRtCalibrationTable.Read(text);
        Assert.Equal(0.1f, scales["relu1"], 6);
        Assert.Equal(0.2f, scales["add3"], 6);
        Assert.NotNull(fixture.Quantized.TensorRtCalibrationTable);
        Assert.True(TensorRtCalibrationTable.Read(fixture.Quantized.TensorRtCalibrationTable!).Count > 30);
    }
}
