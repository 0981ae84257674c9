using EdgeRuntime.Quantization;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using Xunit.Abstractions;

namespace EdgeRuntime.Tests.Quantization;

[Collection(Int8TestGroup.Name)]
public sealed class QuantizedGraphTests(QuantizedBackboneFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public void The_quantized_resnet18_keeps_fp32_embeddings_within_the_parity_target()
    {
        var report = fixture.Quantized.Report;
        foreach (var candidate in report.Candidates)
        {
            output.WriteLine($"{candidate.Method}: median cosine {candidate.MedianCosine:F5}, min {candidate.MinimumCosine:F5}, passed {candidate.Passed} {candidate.Failure}");
        }

        output.WriteLine($"chosen {report.Chosen}, {report.CalibrationImages} calibration + {report.HeldBackImages} held back, {report.Seconds:F1} s");
        Assert.True(report.Passed, report.Reason);
        Assert.True(report.Parity.MedianCosine >= 0.99, $"median cosine {report.Parity.MedianCosine}");
    }

    [Fact]
    public void The_quantized_graph_is_valid_onnx_that_plain_onnx_runtime_optimises_into_int8_convolutions()
    {
        var model = ModelProto.Parser.ParseFrom(fixture.Quantized.Model);
        Assert.Contains(model.OpsetImport, o => o.Domain.Length == 0 && o.Version >= 13);
        Assert.DoesNotContain(model.Graph.Node, n => n.OpType == "BatchNormalization");
        var convs = model.Graph.Node.Count(n => n.OpType == "Conv");

        var optimised = Path.Combine(Path.GetTempPath(), $"int8-optimised-{Guid.NewGuid():N}.onnx");
        try
        {
            using (var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_EXTENDED, OptimizedModelFilePath = optimised })
            using (var session = new InferenceSession(fixture.Quantized.Model, options))
            {
                var input = new float[fixture.Manifest.Input.ElementCount];
                using var value = OrtValue.CreateTensorValueFromMemory(input, [1, 3, 224, 224]);
                using var outputs = session.Run(new RunOptions(), [session.InputNames[0]], [value], [session.OutputNames[0]]);
                Assert.Equal(fixture.Manifest.Embedding.Dimension, (int)outputs[0].GetTensorTypeAndShape().ElementCount);
            }

            var ops = ModelProto.Parser.ParseFrom(File.ReadAllBytes(optimised)).Graph.Node.GroupBy(n => n.OpType).ToDictionary(g => g.Key, g => g.Count());
            output.WriteLine(string.Join(", ", ops.Select(o => $"{o.Key} {o.Value}")));
            Assert.Equal(convs, ops.GetValueOrDefault("QLinearConv"));
            Assert.False(ops.ContainsKey("Conv"), "an fp32 Conv is left after optimisation");
            Assert.True(ops.GetValueOrDefault("QLinearAdd") > 0, "the residual Adds did not become QLinearAdd");
        }
        finally
        {
            File.Delete(optimised);
        }
    }

    [Fact]
    public void The_weights_use_the_fastest_form_this_cpu_multiplies_without_saturating_and_all_of_its_range()
    {
        var model = ModelProto.Parser.ParseFrom(fixture.Quantized.Model);
        var weights = model.Graph.Initializer.Where(i => i.Name.EndsWith("/weight/int8", StringComparison.Ordinal)).ToList();
        var zeroPoints = model.Graph.Initializer.Where(i => i.Name.EndsWith("/weight/zero_point", StringComparison.Ordinal)).ToList();
        var encoding = fixture.Quantized.Report.Weights;

        Assert.NotEmpty(weights);
        Assert.Contains(encoding, WeightRange.ForThisMachine);
        // Fastest form first; a slower one is tried only when every candidate of the faster ones failed parity.
        var candidates = fixture.Quantized.Report.Candidates;
        var tried = WeightRange.ForThisMachine.Where(e => candidates.Any(c => c.Weights == e)).ToList();
        Assert.Equal(WeightRange.ForThisMachine.Take(tried.Count), tried);
        Assert.All(tried.SkipLast(1), e => Assert.DoesNotContain(candidates, c => c.Weights == e && c.Passed));
        Assert.Equal(tried[^1], encoding);
        bool unsigned = encoding == WeightEncoding.UInt8Offset;
        var type = unsigned ? TensorProto.Types.DataType.Uint8 : TensorProto.Types.DataType.Int8;
        Assert.All(weights, w => Assert.Equal((int)type, w.DataType));
        int zero = unsigned ? 128 : 0;
        Assert.All(zeroPoints, z => Assert.All(z.RawData.ToByteArray(), b => Assert.Equal(zero, unsigned ? b : (sbyte)b)));
        int largest = weights.Max(w => w.RawData.ToByteArray().Max(b => Math.Abs((unsigned ? b : (sbyte)b) - zero)));
        output.WriteLine($"{weights.Count} weight tensors as {type} ({encoding}), largest magnitude {largest}");
        Assert.Equal(WeightRange.Levels(encoding), largest);
    }
}
