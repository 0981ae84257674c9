using EdgeRuntime.TestSupport;
using EdgeRuntime.TestSupport.Images;
using OpenCvSharp;

namespace EdgeRuntime.Tests.Novelty;

/// <summary>
/// The real backbone and generated images embedded once: four known families (training images and separately drawn
/// test images) and two families the head never sees. Owns the backbone fixture.
/// </summary>
public sealed class OpenSetFixture : IDisposable
{
    public static readonly ImageFamily[] Known = [ImageFamily.Stripes, ImageFamily.Blobs, ImageFamily.Checker, ImageFamily.Rings];
    public static readonly ImageFamily[] Unseen = [ImageFamily.Triangles, ImageFamily.Dots];

    public OpenSetFixture()
    {
        Backbone = new BackboneFixture();
        Train = Embed(Known, 20, seed: 11);
        KnownTest = Embed(Known, 12, seed: 12);
        NovelTest = Embed(Unseen, 18, seed: 13);
    }

    public BackboneFixture Backbone { get; }

    public IReadOnlyList<Image> Train { get; }

    public IReadOnlyList<Image> KnownTest { get; }

    public IReadOnlyList<Image> NovelTest { get; }

    public int Dimension => Backbone.Engine.Dimension;

    public static float[] Rows(IEnumerable<Image> images) => [.. images.SelectMany(i => i.Embedding)];

    public void Dispose() => Backbone.Dispose();

    private List<Image> Embed(ImageFamily[] families, int count, int seed)
    {
        var rng = new Random(seed);
        var result = new List<Image>();
        foreach (var family in families)
        {
            for (int i = 0; i < count; i++)
            {
                using var mat = SyntheticImages.Create(family, rng, rng.Next(200, 360), rng.Next(160, 280));
                result.Add(new Image(family.ToString().ToLowerInvariant(), Array.IndexOf(families, family), SyntheticImages.Encode(mat), Backbone.Engine.Embed(mat)));
            }
        }

        return result;
    }

    /// <summary>One generated picture: its family name and index, PNG bytes and backbone embedding.</summary>
    public sealed record Image(string Label, int Index, byte[] Png, float[] Embedding);
}
