using EdgeRuntime.Augmentation;
using EdgeRuntime.Features;
using EdgeRuntime.FewShot;
using EdgeRuntime.Tests.Training;

namespace EdgeRuntime.Tests.FewShot;

/// <summary>The refit on rows already transformed (the few-shot pseudo-label round of an adaptation).</summary>
public sealed class FeatureRefitTests
{
    private static readonly FewShotTrainer Trainer = new(GraphRunner.Factory) { SoftmaxSteps = 30, Seed = 1 };

    [Theory]
    [InlineData(HeadFamily.Discriminant)]
    [InlineData(HeadFamily.Ensemble)]
    public void Features_made_by_the_recipe_transform_give_the_head_the_recipe_fits_on_the_samples(HeadFamily family)
    {
        var samples = FewShotData.Clusters(seed: 3, count: 60, dimension: 16, classes: 3);
        var recipe = new Recipe(FeatureTransformKind.PowerCenteredL2, family, 1e-4f, Shrinkage.Fixed(0.5), ViewKinds.None);
        var direct = Trainer.Fit(samples, recipe);

        var transform = FeatureTransform.Fit(recipe.Transform, samples.Embeddings, samples.Dimension);
        var refit = Trainer.Fit(transform, transform.ApplyAll(samples.Embeddings), samples.Labels, samples.ClassCount, recipe, CancellationToken.None);

        Assert.Equal(family, refit.Family);
        Assert.Equal(direct.Probabilities(samples.Embeddings), refit.Probabilities(samples.Embeddings), (a, b) => Math.Abs(a - b) < 1e-5);
    }

    [Fact]
    public void A_refit_missing_a_class_or_with_mismatched_rows_is_refused()
    {
        var samples = FewShotData.Clusters(seed: 4, count: 30, dimension: 8, classes: 3);
        var recipe = new Recipe(FeatureTransformKind.PowerCenteredL2, HeadFamily.Discriminant, 1e-4f, Shrinkage.Oas, ViewKinds.None);
        var transform = FeatureTransform.Fit(recipe.Transform, samples.Embeddings, samples.Dimension);
        var features = transform.ApplyAll(samples.Embeddings);

        Assert.Throws<EdgeRuntimeException>(() => Trainer.Fit(transform, features, [.. samples.Labels.Select(y => Math.Min(y, 1))], 3, recipe, CancellationToken.None));
        Assert.Throws<EdgeRuntimeException>(() => Trainer.Fit(transform, features[..^1], samples.Labels, 3, recipe, CancellationToken.None));
    }
}
