using System.Globalization;
using System.Text.Json;
using EdgeRuntime.Calibration;
using EdgeRuntime.Models;
using EdgeRuntime.Preprocessing;
using EdgeRuntime.TestSupport;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;

namespace EdgeRuntime.Tests.Calibration;

/// <summary>The exported backbone+head file runs in plain ONNX Runtime and answers as the engine does.</summary>
[Collection(CalibrationTestGroup.Name)]
public sealed class ModelExportTests(CalibrationFixture fixture)
{
    [Fact]
    public void The_exported_model_gives_the_engine_probabilities_in_plain_onnx_runtime_and_carries_labels_and_threshold()
    {
        using var data = new TestDirectory("calibration-export");
        using var workspace = fixture.Open(data);
        fixture.AddAll(workspace);
        var outcome = workspace.Train(new TrainRequest());
        string path = data.Combine("export", "model.onnx");

        int exported = workspace.Export(path, BackboneManifest.DefaultPath);

        Assert.Equal(outcome.Version, exported);
        using var head = workspace.LoadActiveClassifier(out _)!;
        var engine = fixture.Backbone.Engine;

        // Deliberately not OrtSessionFactory: this stands for a consumer elsewhere with nothing but ONNX Runtime.
        using var session = new InferenceSession(path);
        var meta = session.ModelMetadata.CustomMetadataMap;
        Assert.Equal(head.Labels, JsonSerializer.Deserialize<string[]>(meta["edgeruntime.labels"]));
        Assert.Equal(outcome.UnknownThreshold, double.Parse(meta["edgeruntime.unknown_threshold"], CultureInfo.InvariantCulture));
        Assert.Equal(outcome.Version.ToString(CultureInfo.InvariantCulture), meta["edgeruntime.head_version"]);
        Assert.Equal(engine.BackboneHash, meta["edgeruntime.backbone_hash"]);
        using var input = JsonDocument.Parse(meta["edgeruntime.input"]);
        string tensorName = input.RootElement.GetProperty("tensor").GetString()!;
        Assert.Equal(engine.Info.Resize.ToString(), input.RootElement.GetProperty("resize").GetString());
        Assert.Equal(engine.Info.Input.Width, input.RootElement.GetProperty("Width").GetInt32());

        var spec = engine.Info.Input;
        long[] shape = spec.Layout == TensorLayout.Nchw ? [1, 3, spec.Height, spec.Width] : [1, spec.Height, spec.Width, 3];
        var tensor = new float[spec.ElementCount];
        var expected = new float[head.Labels.Count];
        foreach (var sample in fixture.Samples.Where((_, i) => i % 5 == 0))
        {
            using var image = Cv2.ImDecode(sample.Bytes, ImreadModes.Color);
            engine.Preprocess(ImageView.Of(image), tensor);
            head.Probabilities(engine.Embed(image), expected);

            using var value = OrtValue.CreateTensorValueFromMemory(tensor, shape);
            using var runOptions = new RunOptions();
            using var outputs = session.Run(runOptions, [tensorName], [value], ["probabilities"]);
            var actual = outputs[0].GetTensorDataAsSpan<float>().ToArray();

            Assert.Equal(expected.Length, actual.Length);
            for (int k = 0; k < expected.Length; k++)
            {
                Assert.True(Math.Abs(expected[k] - actual[k]) <= 1e-4, $"{sample.Path} class {head.Labels[k]}: engine {expected[k]}, export {actual[k]}");
            }
        }
    }

    [Fact]
    public void Exporting_without_an_active_head_is_refused()
    {
        using var data = new TestDirectory("calibration-export-none");
        using var workspace = fixture.Open(data);

        var ex = Assert.Throws<EdgeRuntimeException>(() => workspace.Export(data.Combine("model.onnx"), BackboneManifest.DefaultPath));

        Assert.Contains("No head is active", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(data.Combine("model.onnx")));
    }
}
