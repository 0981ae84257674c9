using EdgeRuntime.Embeddings;
using EdgeRuntime.Execution;
using EdgeRuntime.Models;
using EdgeRuntime.Precision;
using EdgeRuntime.Preprocessing;
using EdgeRuntime.Quantization;
using EdgeRuntime.TestSupport.Images;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;

namespace EdgeRuntime.Tests.Quantization;

/// <summary>
/// The shipped ResNet-18 quantized once on generated pictures, shared by the quantization test classes (quantizing
/// takes seconds; doing it per test would take minutes), with an fp32 and an int8 engine over it. Owns the engines.
/// </summary>
public sealed class QuantizedBackboneFixture : IDisposable
{
    public const int ImagesPerFamily = 12;

    public QuantizedBackboneFixture()
    {
        Manifest = BackboneManifest.Load(BackboneManifest.DefaultPath);
        Factory = new OrtSessionFactory(new ExecutionOptions { IntraOpThreads = 2 }, NullLogger<OrtSessionFactory>.Instance);
        Fp32 = EmbeddingEngine.Load(Manifest, new BackboneOptions(), Factory, NullLogger<EmbeddingEngine>.Instance);
        Prepared = BackboneGraph.Prepare(Manifest);
        Images = Calibration();
        Quantized = Quantizer().Quantize(Prepared, Fp32.Info.Fp32Hash, Manifest.Input, ResizeMode.CenterCrop, Manifest.Embedding.Dimension, Images);
        Int8 = EmbeddingEngine.Load(Manifest, new BackboneOptions { Precision = BackbonePrecision.Int8 }, Factory, NullLogger<EmbeddingEngine>.Instance,
            choose: _ => BackbonePrecisionSwitch.Choice(BackbonePrecision.Int8, Quantized.Report, Quantized.Model));
    }

    public static QuantizationOptions Options => new() { MinimumImages = 40 };

    public BackboneManifest Manifest { get; }

    public OrtSessionFactory Factory { get; }

    public PreparedBackbone Prepared { get; }

    public CalibrationImageSet Images { get; }

    public QuantizedBackbone Quantized { get; }

    /// <summary>The shipped backbone.</summary>
    public EmbeddingEngine Fp32 { get; }

    /// <summary>The same backbone running <see cref="Quantized"/>.</summary>
    public EmbeddingEngine Int8 { get; }

    public BackboneQuantizer Quantizer(QuantizationOptions? options = null) =>
        new(Factory, options ?? Options, NullLogger<BackboneQuantizer>.Instance);

    /// <summary>A fresh fp32 engine a test may switch (the shared ones must stay as they are).</summary>
    public EmbeddingEngine LoadEngine(BackbonePrecision precision, Func<string, ModelChoice?>? choose = null) =>
        EmbeddingEngine.Load(Manifest, new BackboneOptions { Precision = precision, Quantization = Options }, Factory, NullLogger<EmbeddingEngine>.Instance, choose: choose);

    /// <summary>
    /// What a device would calibrate on: its own kind of pictures. Generated ones and real fashion-mnist ones (the
    /// parity tests use both, never the same images).
    /// </summary>
    public static CalibrationImageSet Calibration()
    {
        var real = FashionMnist.Load(train: true, perClass: 6);
        var encoded = real.Select(r =>
        {
            using (r.Image)
            {
                return r.Image.ImEncode(".png");
            }
        }).ToList();
        encoded.AddRange(GeneratedFrames(seed: 11, perFamily: 8).Select(f =>
        {
            using (f.Image)
            {
                return f.Image.ImEncode(".png");
            }
        }));
        return CalibrationImageSet.FromEncoded(encoded, "samples");
    }

    /// <summary>Every image family at 320x240, encoded as PNG; seeded.</summary>
    public static CalibrationImageSet Generated(int seed, int perFamily = ImagesPerFamily) =>
        CalibrationImageSet.FromEncoded(GeneratedFrames(seed, perFamily).Select(f =>
        {
            using (f.Image)
            {
                return f.Image.ImEncode(".png");
            }
        }), "generated");

    /// <summary>Generated frames with their family; the caller owns them.</summary>
    public static List<(Mat Image, ImageFamily Family)> GeneratedFrames(int seed, int perFamily)
    {
        var rng = new Random(seed);
        var frames = new List<(Mat, ImageFamily)>();
        foreach (var family in Enum.GetValues<ImageFamily>())
        {
            for (int i = 0; i < perFamily; i++)
            {
                frames.Add((SyntheticImages.Create(family, rng), family));
            }
        }

        return frames;
    }

    public void Dispose()
    {
        Fp32.Dispose();
        Int8.Dispose();
    }
}
