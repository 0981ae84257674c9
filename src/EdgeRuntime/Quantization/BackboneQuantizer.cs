using System.Diagnostics;
using EdgeRuntime.Execution;
using EdgeRuntime.Models;
using EdgeRuntime.Preprocessing;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace EdgeRuntime.Quantization;

/// <summary>
/// Static int8 quantization of a prepared backbone on the device: BatchNorm folded into Conv, activation ranges
/// calibrated from real images with both percentile and entropy calibration, a QDQ graph built for each, and the one
/// with the better parity against fp32 on held-back images kept. Sessions are created and disposed within a call.
/// </summary>
public sealed class BackboneQuantizer(OrtSessionFactory factory, QuantizationOptions options, ILogger<BackboneQuantizer> logger)
{
    private const int Batch = 8;

    /// <param name="fp32">The prepared fp32 backbone (preprocessing merged, batch dynamic).</param>
    /// <param name="input">Its input specification.</param>
    /// <param name="resize">How frames are fitted, as the engine does.</param>
    /// <param name="dimension">Embedding size.</param>
    /// <param name="images">Calibration images; a share is held back for parity unless <paramref name="parityImages"/> is given.</param>
    /// <param name="head">Choices of the active head (see <see cref="HeadChoices.Using"/>), whose agreement is part of the parity check; null when there is none.</param>
    /// <param name="parityImages">Separate images for the parity check.</param>
    /// <exception cref="QuantizationException">Too few images, or a graph the quantizer cannot handle.</exception>
    /// <param name="backboneHash">Identifies the fp32 backbone in the report and the cache key.</param>
    public QuantizedBackbone Quantize(PreparedBackbone fp32, string backboneHash, InputSpec input, ResizeMode resize, int dimension, CalibrationImageSet images,
        Func<float[], int, HeadChoices?>? head = null, CalibrationImageSet? parityImages = null, IProgress<QuantizationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fp32);
        ArgumentNullException.ThrowIfNull(images);
        if (options.Validate() is { } problem)
        {
            throw new QuantizationException(problem);
        }

        if (images.Count < options.MinimumImages)
        {
            throw new QuantizationException($"Quantization needs at least {options.MinimumImages} calibration images (Backbone:Quantization:MinimumImages); " +
                $"{images.Count} {(images.Origin == "live" ? "frames were captured" : "samples are stored")}. The backbone stays fp32.");
        }

        var clock = Stopwatch.StartNew();
        images = images.Take(options.MaximumImages);
        var (calibration, heldBack) = Split(images.Count, parityImages is null);
        var parity = parityImages ?? images;
        if (parityImages is not null)
        {
            heldBack = [.. Enumerable.Range(0, parityImages.Count)];
        }

        var model = ModelProto.Parser.ParseFrom(fp32.Model);
        OpsetUpgrade.Apply(model);
        int folded = BatchNormFolding.Apply(model.Graph);
        var plan = QuantizationPlan.For(model.Graph);
        if (!model.Graph.Node.Any(n => n.OpType == "Conv") || plan.Tensors.Count == 0)
        {
            throw new QuantizationException("The backbone has no convolution the quantizer can make int8.");
        }

        var preprocessor = new FramePreprocessor(input, resize);
        var histograms = ActivationCalibrator.Collect(model, plan, fp32.InputName, preprocessor, images, calibration, factory,
            done => progress?.Report(new QuantizationProgress("calibrating", done, calibration.Count)), cancellationToken);
        logger.LogInformation("Calibrated {Tensors} activation tensors on {Images} {Origin} images ({Folded} BatchNorm folded)", histograms.Count, calibration.Count, images.Origin, folded);

        var tensors = Preprocess(preprocessor, parity, heldBack, cancellationToken);
        var reference = Embed(fp32.Model, fp32, input, tensors, dimension, "fp32 reference");
        var diversity = ParityCheck.Diversity(reference, dimension);

        // The fastest weight encoding first; a slower, exact one only when no candidate of the faster passes.
        var candidates = new List<(ParityReport Parity, byte[] Model, string Table)>();
        var rangesOf = new[] { CalibrationMethod.Percentile, CalibrationMethod.Entropy }.ToDictionary(m => m, m =>
            histograms.ToDictionary(h => h.Key, h => m == CalibrationMethod.Percentile ? h.Value.Percentile(99.99) : h.Value.Entropy(), StringComparer.Ordinal));
        foreach (var encoding in WeightRange.ForThisMachine)
        {
            if (candidates.Any(c => c.Parity.Passed))
            {
                break;
            }

            foreach (var (method, ranges) in rangesOf)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var bytes = QdqGraphBuilder.Build(model, plan, ranges, encoding).ToByteArray();
                var int8 = Embed(bytes, fp32, input, tensors, dimension, $"int8 {method}");
                var report = ParityCheck.Compare(method, reference, int8, dimension, head, options, diversity) with { Weights = encoding };
                progress?.Report(new QuantizationProgress($"parity {method}", heldBack.Count, heldBack.Count));
                logger.LogInformation("Int8 candidate {Method} with {Weights} weights: median cosine {MedianCosine:F4}, minimum {MinimumCosine:F4}, head agreement {Agreement}, passed {Passed}",
                    method, encoding, report.MedianCosine, report.MinimumCosine, report.HeadAgreement, report.Passed);
                candidates.Add((report, bytes, TensorRtCalibrationTable.Write(ranges)));
            }
        }

        var best = candidates.OrderByDescending(c => c.Parity.Passed).ThenByDescending(c => c.Parity.HeadAgreement ?? 1).ThenByDescending(c => c.Parity.MedianCosine).First();
        var result = new QuantizationReport(backboneHash, images.Fingerprint, images.Origin, calibration.Count, heldBack.Count, best.Parity.Method,
            [.. candidates.Select(c => c.Parity)], best.Parity.Passed, best.Parity.Failure, clock.Elapsed.TotalSeconds, DateTimeOffset.UtcNow) { Weights = best.Parity.Weights };
        return new QuantizedBackbone(best.Model, result, best.Table);
    }

    private (List<int> Calibration, List<int> HeldBack) Split(int count, bool holdBack)
    {
        if (!holdBack)
        {
            return ([.. Enumerable.Range(0, count)], []);
        }

        // Every k-th image in hash order: a spread, reproducible sample rather than the first or last few.
        int every = Math.Max(2, (int)Math.Round(1 / options.HoldBackShare));
        var calibration = new List<int>();
        var heldBack = new List<int>();
        for (int i = 0; i < count; i++)
        {
            (i % every == every - 1 ? heldBack : calibration).Add(i);
        }

        return (calibration, heldBack);
    }

    private static float[] Preprocess(FramePreprocessor preprocessor, CalibrationImageSet images, List<int> indices, CancellationToken cancellationToken)
    {
        int elements = preprocessor.Spec.ElementCount;
        var tensors = new float[indices.Count * elements];
        for (int i = 0; i < indices.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var frame = images.Load(indices[i]);
            preprocessor.Process(ImageView.Of(frame), tensors.AsSpan(i * elements, elements));
        }

        return tensors;
    }

    private float[] Embed(byte[] model, PreparedBackbone fp32, InputSpec spec, float[] tensors, int dimension, string name)
    {
        int elements = spec.ElementCount, count = tensors.Length / elements;
        var embeddings = new float[count * dimension];
        using var handle = factory.Create(model, name);
        using var runOptions = new RunOptions();
        for (int start = 0; start < count; start += Batch)
        {
            int n = Math.Min(Batch, count - start);
            long[] shape = spec.Layout == TensorLayout.Nchw ? [n, 3, spec.Height, spec.Width] : [n, spec.Height, spec.Width, 3];
            using var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, tensors.AsMemory(start * elements, n * elements), shape);
            using var outputs = handle.Run(runOptions, [fp32.InputName], [value], [fp32.OutputName]);
            outputs[0].GetTensorDataAsSpan<float>().CopyTo(embeddings.AsSpan(start * dimension, n * dimension));
        }

        return embeddings;
    }
}
