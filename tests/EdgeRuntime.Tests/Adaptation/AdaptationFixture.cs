using EdgeRuntime.TestSupport;
using EdgeRuntime.TestSupport.Images;
using OpenCvSharp;

namespace EdgeRuntime.Tests.Adaptation;

/// <summary>
/// The real backbone and generated images embedded once: calibration images from the first camera, test images and
/// unlabelled frames seen through <see cref="CameraShift"/>, and the same test images through the first camera.
/// Owns the backbone fixture.
/// </summary>
public sealed class AdaptationFixture : IDisposable
{
    public static readonly ImageFamily[] Families = [ImageFamily.Stripes, ImageFamily.Blobs, ImageFamily.Checker, ImageFamily.Rings, ImageFamily.Triangles, ImageFamily.Dots];

    public AdaptationFixture()
    {
        Backbone = new BackboneFixture();
        Calibration = Embed(14, seed: 21, shifted: false);
        Test = Embed(10, seed: 22, shifted: true);
        Unlabelled = Embed(12, seed: 23, shifted: true);
    }

    public BackboneFixture Backbone { get; }

    public IReadOnlyList<(string Label, byte[] Png, float[] Embedding)> Calibration { get; }

    public IReadOnlyList<(string Label, byte[] Png, float[] Embedding)> Test { get; }

    public IReadOnlyList<(string Label, byte[] Png, float[] Embedding)> Unlabelled { get; }

    public void Dispose() => Backbone.Dispose();

    private List<(string, byte[], float[])> Embed(int count, int seed, bool shifted)
    {
        var rng = new Random(seed);
        var result = new List<(string, byte[], float[])>();
        foreach (var family in Families)
        {
            for (int i = 0; i < count; i++)
            {
                using var mat = SyntheticImages.Create(family, rng, rng.Next(200, 360), rng.Next(160, 280));
                using var seen = shifted ? CameraShift.Apply(mat, rng.Next()) : mat.Clone();
                result.Add((family.ToString().ToLowerInvariant(), SyntheticImages.Encode(seen), Backbone.Engine.Embed(seen)));
            }
        }

        return result;
    }
}
