using EdgeRuntime.Execution;
using EdgeRuntime.Models;
using EdgeRuntime.Preprocessing;
using EdgeRuntime.Quantization;
using EdgeRuntime.TestSupport.Images;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;

namespace EdgeRuntime.Tests.Quantization;

/// <summary>
/// The shipped ResNet-18 quantized once on generated pictures, shared by the quantization test classes (quantizing
/// takes seconds; doing it per test would take minutes). Holds bytes only, no native resources.
/// </summary>
public sealed class QuantizedBackboneFixture
{
    public const int ImagesPerFamily = 16;

    public QuantizedBackboneFixture()
    {
        Manifest = BackboneManifest.Load(BackboneManifest.DefaultPath);
        Factory = new OrtSessionFactory(new ExecutionOptions { IntraOpThreads = 2 }, NullLogger<OrtSessionFactory>.Instance);
        Prepared = BackboneGraph.Prepare(Manifest);
        Images = Generated(seed: 11);
        Quantized = Quantizer().Quantize(Prepared, "test-backbone-hash", Manifest.Input, ResizeMode.CenterCrop, Manifest.Embedding.Dimension, Images);
    }

    public static QuantizationOptions Options => new() { MinimumImages = 40 };

    public BackboneManifest Manifest { get; }

    public OrtSessionFactory Factory { get; }

    public PreparedBackbone Prepared { get; }

    public CalibrationImageSet Images { get; }

    public QuantizedBackbone Quantized { get; }

    public BackboneQuantizer Quantizer(QuantizationOptions? options = null) =>
        new(Factory, options ?? Options, NullLogger<BackboneQuantizer>.Instance);

    /// <summary>Every image family at 320x240, encoded as PNG; seeded.</summary>
    public static CalibrationImageSet Generated(int seed, int perFamily = ImagesPerFamily)
    {
        var rng = new Random(seed);
        var images = new List<byte[]>();
        foreach (var family in Enum.GetValues<ImageFamily>())
        {
            for (int i = 0; i < perFamily; i++)
            {
                using var mat = SyntheticImages.Create(family, rng);
                images.Add(mat.ImEncode(".png"));
            }
        }

        return CalibrationImageSet.FromEncoded(images, "generated");
    }
}
