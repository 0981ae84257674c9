using EdgeRuntime.Features;
using EdgeRuntime.FewShot;
using EdgeRuntime.Tests.Training;

namespace EdgeRuntime.Tests.FewShot;

public sealed class FewShotBadInputTests
{
    private static readonly FewShotTrainer Trainer = new(GraphRunner.Factory) { SoftmaxSteps = 20, Seed = 1 };
    private static readonly RecipeSearchOptions Options = new();

    [Fact]
    public void A_class_with_one_sample_cannot_be_cross_validated_but_is_still_trainable_by_imprinting()
    {
        var data = FewShotData.Clusters(seed: 15, count: 21, dimension: 8, classes: 3);
        var single = Array.IndexOf(data.Labels, 2);
        var labels = data.Labels.Select((y, i) => y == 2 && i != single ? 1 : y).ToArray();
        var thin = data with { Labels = labels };

        var ex = Assert.Throws<CrossValidationImpossibleException>(() => new RecipeSearch(Trainer).Select(thin, Options));
        var instant = FewShotTrainer.Imprint(thin, FeatureTransformKind.PowerCenteredL2);

        Assert.Contains("Class(es) 2 have a single sample", ex.Message, StringComparison.Ordinal);
        Assert.Contains("imprinted", ex.Message, StringComparison.Ordinal);
        Assert.Equal(HeadFamily.Imprinted, instant.Family);
        Assert.Equal(2, instant.Predict(thin.Embeddings.AsSpan(single * 8, 8))[0]);
    }

    [Fact]
    public void Two_classes_train()
    {
        var data = FewShotData.Clusters(seed: 16, count: 20, dimension: 8, classes: 2);

        var selection = new RecipeSearch(Trainer).Select(data, Options);

        Assert.True(selection.Estimate.Mean > 0.8, selection.Estimate.ToString());
    }

    [Fact]
    public void Fifty_classes_train()
    {
        var data = FewShotData.Clusters(seed: 17, count: 200, dimension: 32, classes: 50, spread: 0.3);

        var selection = new RecipeSearch(Trainer).Select(data, Options with { Families = [HeadFamily.Discriminant, HeadFamily.Linear] });
        var head = Trainer.Fit(data, selection.Recipe);

        Assert.Equal(4, selection.Folds);
        Assert.Equal(50, head.ClassCount);
        Assert.True(selection.Estimate.Mean > 0.5, selection.Estimate.ToString());
    }

    [Fact]
    public void Classes_of_3_and_300_samples_use_3_folds_and_still_find_the_small_class()
    {
        var big = FewShotData.Clusters(seed: 18, count: 600, dimension: 8, classes: 2, spread: 0.3);
        var keep = Enumerable.Range(0, 600).Where(i => big.Labels[i] == 0 || i % 200 == 1).ToArray();
        var data = new FewShotSamples([.. keep.SelectMany(i => big.Embeddings.AsSpan(i * 8, 8).ToArray())], [.. keep.Select(i => big.Labels[i])], 8, 2);

        var selection = new RecipeSearch(Trainer).Select(data, Options);
        var head = Trainer.Fit(data, selection.Recipe);

        Assert.Equal([300, 3], data.ClassCounts());
        Assert.Equal(3, selection.Folds);
        Assert.Equal(Enumerable.Repeat(1, 3), head.Predict([.. keep.Where(i => big.Labels[i] == 1).SelectMany(i => big.Embeddings.AsSpan(i * 8, 8).ToArray())]));
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void A_non_finite_embedding_is_refused_naming_the_sample_and_component(float bad)
    {
        var data = FewShotData.Clusters(seed: 19, count: 20, dimension: 8, classes: 2);
        var x = (float[])data.Embeddings.Clone();
        x[(7 * 8) + 3] = bad;

        var ex = Assert.Throws<EdgeRuntimeException>(() => new RecipeSearch(Trainer).Select(data with { Embeddings = x }, Options));

        Assert.Contains("Sample 7", ex.Message, StringComparison.Ordinal);
        Assert.Contains("component 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_instant_class_with_five_samples_is_predicted_above_chance()
    {
        var all = FewShotData.Clusters(seed: 20, count: 110, dimension: 32, classes: 11, spread: 0.8);
        var known = Enumerable.Range(0, 110).Where(i => all.Labels[i] < 10 || i < 60).ToArray();
        var data = new FewShotSamples([.. known.SelectMany(i => all.Embeddings.AsSpan(i * 32, 32).ToArray())], [.. known.Select(i => all.Labels[i])], 32, 11);
        var probe = FewShotData.Clusters(seed: 20, count: 220, dimension: 32, classes: 11, spread: 0.8);

        var head = FewShotTrainer.Imprint(data, FeatureTransformKind.PowerCenteredL2);

        var newClass = Enumerable.Range(110, 110).Where(i => probe.Labels[i] == 10).ToArray();
        var hits = head.Predict([.. newClass.SelectMany(i => probe.Embeddings.AsSpan(i * 32, 32).ToArray())]).Count(p => p == 10);
        Assert.Equal(5, data.ClassCounts()[10]);
        Assert.True(hits > newClass.Length / 11.0 * 3, $"{hits} of {newClass.Length}");
    }
}
