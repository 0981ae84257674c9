using EdgeRuntime.Augmentation;
using EdgeRuntime.FewShot;
using EdgeRuntime.Tests.Training;
using EdgeRuntime.TestSupport;
using EdgeRuntime.TestSupport.Images;
using OpenCvSharp;

namespace EdgeRuntime.Tests.FewShot;

/// <summary>Auto augmentation on real ResNet-18 embeddings of generated images.</summary>
public sealed class AutoAugmentationTests(BackboneFixture backbone) : IClassFixture<BackboneFixture>
{
    private static readonly FewShotTrainer Trainer = new(GraphRunner.Factory) { SoftmaxSteps = 30, Seed = 1 };
    private static readonly RecipeSearchOptions Options = new() { Families = [HeadFamily.Discriminant], Shrinkages = [Shrinkage.Oas], Crop = AugmentMode.Off, Colour = AugmentMode.Off };

    [Fact]
    public void Auto_turns_mirroring_off_when_a_mirror_changes_the_class()
    {
        var rng = new Random(21);
        var samples = Embed(i => ArrowImages.Create(pointsRight: i % 2 == 1, rng), count: 16);

        var selection = new RecipeSearch(Trainer).Select(samples, Options);

        Assert.Equal(ViewKinds.None, selection.Recipe.Views);
        var mirrored = selection.Candidates.Single(c => c.Recipe.Views == ViewKinds.Mirror);
        Assert.True(mirrored.Estimate.Mean < selection.Estimate.Mean, $"{mirrored.Estimate} vs {selection.Estimate}");
    }

    [Fact]
    public void Auto_keeps_mirroring_where_a_mirror_preserves_the_class()
    {
        var rng = new Random(22);
        var samples = Embed(i => SyntheticImages.Create(i % 2 == 0 ? ImageFamily.Stripes : ImageFamily.Blobs, rng, 224, 224), count: 16);

        var selection = new RecipeSearch(Trainer).Select(samples, Options);

        Assert.Equal(ViewKinds.Mirror, selection.Recipe.Views);
    }

    private FewShotSamples Embed(Func<int, Mat> create, int count)
    {
        var d = backbone.Engine.Dimension;
        var originals = Enumerable.Range(0, count).Select(create).ToList();
        var mirrors = originals.Select(m => KindViewAugmenter.Apply(m, ViewKinds.Mirror)).ToList();
        var x = new float[count * d];
        var v = new float[count * d];
        backbone.Engine.EmbedBatch(originals, x);
        backbone.Engine.EmbedBatch(mirrors, v);
        originals.Concat(mirrors).ToList().ForEach(m => m.Dispose());
        return new FewShotSamples(x, [.. Enumerable.Range(0, count).Select(i => i % 2)], d, 2, [new AugmentedViews(ViewKinds.Mirror, v, [.. Enumerable.Range(0, count)])]);
    }
}
