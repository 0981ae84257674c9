using EdgeRuntime.Features;
using EdgeRuntime.FewShot;
using EdgeRuntime.Training;

namespace EdgeRuntime.Tests.FewShot;

public sealed class ImprintedLeaveOneOutTests
{
    [Fact]
    public void Each_sample_is_predicted_by_the_head_imprinted_on_all_the_others()
    {
        var data = FewShotData.Clusters(seed: 21, count: 40, dimension: 12, classes: 4, spread: 0.9);
        var head = FewShotTrainer.Imprint(data, FeatureTransformKind.PowerCenteredL2);

        var predicted = ImprintedLeaveOneOut.Predict(head, data);

        var features = head.Transform.ApplyAll(data.Embeddings).Select(v => (float)v).ToArray();
        var d = data.Dimension;
        var wrong = 0;
        for (var i = 0; i < data.Count; i++)
        {
            var others = Enumerable.Range(0, data.Count).Where(n => n != i).ToList();
            var x = others.SelectMany(n => features.AsSpan(n * d, d).ToArray()).ToArray();
            var without = WeightImprinting.Imprint(x, [.. others.Select(n => data.Labels[n])], d, data.ClassCount);
            var w = without.Parameters[0];
            var logits = Enumerable.Range(0, data.ClassCount).Select(c => Enumerable.Range(0, d).Sum(j => (double)w[(j * data.ClassCount) + c] * features[(i * d) + j])).ToList();
            Assert.Equal(logits.IndexOf(logits.Max()), predicted[i]);
            wrong += predicted[i] == data.Labels[i] ? 0 : 1;
        }

        // The clusters overlap enough that leaving one out matters: some samples are wrong, most are right.
        Assert.InRange(wrong, 1, data.Count / 2);
    }

    [Fact]
    public void A_sample_alone_in_its_class_is_predicted_as_another_class()
    {
        var data = FewShotData.Clusters(seed: 22, count: 21, dimension: 8, classes: 3);
        var single = Array.IndexOf(data.Labels, 2);
        var thin = data with { Labels = data.Labels.Select((y, i) => y == 2 && i != single ? 1 : y).ToArray() };
        var head = FewShotTrainer.Imprint(thin, FeatureTransformKind.PowerCenteredL2);

        var predicted = ImprintedLeaveOneOut.Predict(head, thin);

        Assert.NotEqual(2, predicted[single]);
        Assert.Equal(2, head.Predict(thin.Embeddings.AsSpan(single * 8, 8))[0]);
    }
}
