using EdgeRuntime.Augmentation;
using EdgeRuntime.Features;
using EdgeRuntime.FewShot;
using EdgeRuntime.Tests.Training;

namespace EdgeRuntime.Tests.FewShot;

public sealed class RecipeSearchTests
{
    private static readonly FewShotTrainer Trainer = new(GraphRunner.Factory) { SoftmaxSteps = 30, Seed = 1 };
    private static readonly RecipeSearchOptions Options = new() { Families = [HeadFamily.Discriminant, HeadFamily.Linear, HeadFamily.Ensemble] };

    [Fact]
    public void The_same_seed_gives_the_same_folds_the_same_choice_and_the_same_estimate()
    {
        var data = FewShotData.Clusters(seed: 11, count: 60, dimension: 16, classes: 4, spread: 1.2);

        var first = new RecipeSearch(Trainer).Select(data, Options);
        var second = new RecipeSearch(Trainer).Select(data, Options);

        Assert.Equal(StratifiedFolds.Assign(data.Labels, 4, 5, 0), StratifiedFolds.Assign(data.Labels, 4, 5, 0));
        Assert.NotEqual(StratifiedFolds.Assign(data.Labels, 4, 5, 0), StratifiedFolds.Assign(data.Labels, 4, 5, 1));
        Assert.Equal(first.Recipe, second.Recipe);
        Assert.Equal(first.Estimate.FoldAccuracies, second.Estimate.FoldAccuracies);
        Assert.Equal(first.Candidates.Select(c => c.Estimate.Mean), second.Candidates.Select(c => c.Estimate.Mean));
    }

    [Fact]
    public void Folds_are_stratified_every_class_is_spread_evenly()
    {
        var labels = Enumerable.Range(0, 53).Select(i => i % 3 == 0 ? 0 : (i % 3 == 1 ? 1 : 2)).ToArray();

        var folds = StratifiedFolds.Assign(labels, 3, 5, 7);

        foreach (var c in Enumerable.Range(0, 3))
        {
            var perFold = Enumerable.Range(0, 5).Select(f => Enumerable.Range(0, labels.Length).Count(i => labels[i] == c && folds[i] == f)).ToArray();
            Assert.True(perFold.Max() - perFold.Min() <= 1, $"class {c}: {string.Join(",", perFold)}");
        }
    }

    [Fact]
    public void Cross_validation_never_trains_on_the_fold_it_scores()
    {
        // Random labels on random embeddings, with near-copies of every sample as mirror views: any model trained on
        // the scored fold (or on its views) would memorise it, as the head fitted on everything does.
        const int D = 64;
        var random = new Random(12);
        var x = Enumerable.Range(0, 48 * D).Select(_ => (float)random.NextDouble()).ToArray();
        var y = Enumerable.Range(0, 48).Select(_ => random.Next(4)).ToArray();
        var views = new AugmentedViews(ViewKinds.Mirror, [.. x.Select(v => v + (0.001f * (float)random.NextDouble()))], [.. Enumerable.Range(0, 48)]);
        var data = new FewShotSamples(x, y, D, 4, [views]);
        var options = Options with { Families = [HeadFamily.Discriminant], Shrinkages = [Shrinkage.Fixed(0.01)], Mirror = AugmentMode.On };

        var selection = new RecipeSearch(Trainer).Select(data, options);
        var memorised = Trainer.Fit(data, selection.Recipe).Predict(x).Zip(y).Count(p => p.First == p.Second) / 48.0;

        Assert.Equal(ViewKinds.Mirror, selection.Recipe.Views);
        Assert.True(memorised > 0.95, $"the head fitted on every sample should memorise them, got {memorised:P0}");
        Assert.True(selection.Estimate.Mean < 0.5, $"CV must score unseen samples only (chance is 25 %), got {selection.Estimate}");
    }

    [Fact]
    public void The_refit_head_is_the_recipe_trained_on_every_sample_and_view()
    {
        var data = FewShotData.Clusters(seed: 13, count: 40, dimension: 8, classes: 4);
        var views = new AugmentedViews(ViewKinds.Crop, [.. data.Embeddings.Select(v => v * 1.1f)], [.. Enumerable.Range(0, 40)]);
        var withViews = data with { Views = [views] };
        var recipe = new Recipe(FeatureTransformKind.PowerCenteredL2, HeadFamily.Discriminant, 0, Shrinkage.Oas, ViewKinds.Crop);

        var head = Trainer.Fit(withViews, recipe);

        var transform = FeatureTransform.Fit(FeatureTransformKind.PowerCenteredL2, data.Embeddings, 8);
        var moments = ClassMoments.FromEmbeddings(transform, [.. data.Embeddings, .. views.Embeddings], [.. data.Labels, .. data.Labels], 4);
        var expected = ShrinkageDiscriminant.Fit(moments, Shrinkage.Oas).ToHead();
        Assert.Equal(80, moments.TotalCount);
        Assert.Equal(transform.ReferenceMean, head.Transform.ReferenceMean);
        Assert.Equal(expected.Parameters[0], head.Parts[0].Parameters[0]);
    }

    [Fact]
    public void The_choice_has_its_familys_lowest_log_loss_and_is_the_ensemble_unless_another_family_wins_by_more_than_a_standard_error()
    {
        var data = FewShotData.Clusters(seed: 14, count: 80, dimension: 16, classes: 4, spread: 1.5);

        var selection = new RecipeSearch(Trainer).Select(data, Options);

        var sameViews = selection.Candidates.Where(c => c.Recipe.Views == selection.Recipe.Views).ToList();
        Assert.All(sameViews.Where(c => c.Recipe.Family == selection.Recipe.Family), c => Assert.True(selection.Estimate.LogLoss <= c.Estimate.LogLoss + 1e-12));
        var ensemble = sameViews.Single(c => c.Recipe.Family == HeadFamily.Ensemble);
        foreach (var family in new[] { HeadFamily.Discriminant, HeadFamily.Linear })
        {
            var best = sameViews.Where(c => c.Recipe.Family == family).MinBy(c => c.Estimate.LogLoss)!;
            var differences = best.Estimate.FoldAccuracies.Zip(ensemble.Estimate.FoldAccuracies, (a, b) => a - b).ToList();
            var standardError = Math.Sqrt(differences.Sum(d => Math.Pow(d - differences.Average(), 2)) / (differences.Count - 1) / differences.Count);
            var wins = best.Estimate.Mean - ensemble.Estimate.Mean > Math.Max(standardError, 1e-9);
            Assert.True(wins || selection.Recipe.Family != family, $"{family} was chosen without beating the ensemble by a standard error");
        }

        Assert.Equal(5, selection.Folds);
        Assert.True(selection.Estimate.StandardError >= 0);
        Assert.Contains("5-fold CV", selection.Estimate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void When_every_family_is_equally_accurate_the_ensemble_is_chosen_not_the_first_family_searched()
    {
        var data = FewShotData.Clusters(seed: 15, count: 60, dimension: 16, classes: 3, spread: 0.05);

        var selection = new RecipeSearch(Trainer).Select(data, Options);

        var bests = selection.Candidates.Where(c => c.Recipe.Views == ViewKinds.None).GroupBy(c => c.Recipe.Family).Select(g => g.Max(c => c.Estimate.Mean)).ToList();
        Assert.All(bests, mean => Assert.Equal(1.0, mean, 9));
        Assert.Equal(HeadFamily.Ensemble, selection.Recipe.Family);
    }
}
