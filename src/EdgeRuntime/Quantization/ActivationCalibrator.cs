using EdgeRuntime.Execution;
using EdgeRuntime.Models;
using EdgeRuntime.Preprocessing;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using Google.Protobuf;

namespace EdgeRuntime.Quantization;

/// <summary>
/// Runs the folded fp32 graph over calibration images with every planned tensor exposed as an output, and collects
/// each tensor's histogram. Owns its session for the duration of <see cref="Collect"/> only.
/// </summary>
internal static class ActivationCalibrator
{
    private const int Batch = 4;

    public static Dictionary<string, ActivationHistogram> Collect(
        ModelProto folded, QuantizationPlan plan, string inputName, FramePreprocessor preprocessor, CalibrationImageSet images,
        IReadOnlyList<int> indices, OrtSessionFactory factory, Action<int> progress, CancellationToken cancellationToken)
    {
        var model = folded.Clone();
        var tensors = plan.CalibratedTensors.ToList();
        var existing = model.Graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var tensor in tensors.Where(t => !existing.Contains(t)))
        {
            model.Graph.Output.Add(new ValueInfoProto { Name = tensor, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } } });
        }

        var histograms = tensors.ToDictionary(t => t, _ => new ActivationHistogram(), StringComparer.Ordinal);
        var spec = preprocessor.Spec;
        var buffer = new float[Batch * spec.ElementCount];
        using var handle = factory.Create(model.ToByteArray(), "calibration");
        model = null;
        using var runOptions = new RunOptions();
        int done = 0;
        for (int start = 0; start < indices.Count; start += Batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int n = Math.Min(Batch, indices.Count - start);
            for (int i = 0; i < n; i++)
            {
                using var frame = images.Load(indices[start + i]);
                preprocessor.Process(ImageView.Of(frame), buffer.AsSpan(i * spec.ElementCount, spec.ElementCount));
            }

            long[] shape = spec.Layout == TensorLayout.Nchw ? [n, 3, spec.Height, spec.Width] : [n, spec.Height, spec.Width, 3];
            using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffer.AsMemory(0, n * spec.ElementCount), shape);
            using var outputs = handle.Run(runOptions, [inputName], [input], tensors);
            for (int t = 0; t < tensors.Count; t++)
            {
                histograms[tensors[t]].Add(outputs[t].GetTensorDataAsSpan<float>());
            }

            done += n;
            progress(done);
        }

        return histograms;
    }
}
