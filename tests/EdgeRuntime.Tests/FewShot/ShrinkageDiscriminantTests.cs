using EdgeRuntime.Features;
using EdgeRuntime.FewShot;

namespace EdgeRuntime.Tests.FewShot;

public sealed class ShrinkageDiscriminantTests
{
    private const int D = 6;
    private const int K = 3;

    [Theory]
    [InlineData(null)]
    [InlineData(0.3)]
    public void The_discriminant_matches_the_float64_reference(double? alpha)
    {
        var data = FewShotData.Clusters(seed: 5, count: 36, dimension: D, classes: K);
        var transform = FeatureTransform.Fit(FeatureTransformKind.PowerCenteredL2, data.Embeddings, D);
        var features = transform.ApplyAll(data.Embeddings);
        var rows = Enumerable.Range(0, data.Count).Select(i => features.AsSpan(i * D, D).ToArray()).ToArray();
        var (w, b, expectedAlpha) = FewShotReference.Discriminant(rows, data.Labels, K, alpha);

        var fit = ShrinkageDiscriminant.Fit(ClassMoments.FromEmbeddings(transform, data.Embeddings, data.Labels, K), alpha is { } a ? Shrinkage.Fixed(a) : Shrinkage.Oas);

        Assert.Equal(expectedAlpha, fit.Intensity, 9);
        for (var j = 0; j < D; j++)
        {
            for (var c = 0; c < K; c++)
            {
                Assert.Equal(w[j, c], fit.Weights[(j * K) + c], 1e-6 * Math.Max(1, Math.Abs(w[j, c])));
            }
        }

        for (var c = 0; c < K; c++)
        {
            Assert.Equal(b[c], fit.Bias[c], 1e-6 * Math.Max(1, Math.Abs(b[c])));
        }
    }

    [Fact]
    public void Pooling_the_moments_of_two_devices_gives_the_head_trained_on_all_their_samples()
    {
        var data = FewShotData.Clusters(seed: 6, count: 60, dimension: D, classes: K);
        var transform = FeatureTransform.Fit(FeatureTransformKind.PowerCenteredL2, data.Embeddings, D);
        var first = ClassMoments.FromEmbeddings(transform, data.Embeddings.AsSpan(0, 25 * D), data.Labels.AsSpan(0, 25), K);
        var second = ClassMoments.FromEmbeddings(transform, data.Embeddings.AsSpan(25 * D), data.Labels.AsSpan(25), K);

        first.Merge(second);
        var pooled = ShrinkageDiscriminant.Fit(first, Shrinkage.Oas);
        var central = ShrinkageDiscriminant.Fit(ClassMoments.FromEmbeddings(transform, data.Embeddings, data.Labels, K), Shrinkage.Oas);

        Assert.Equal(central.Intensity, pooled.Intensity, 12);
        Assert.Equal(central.Weights, pooled.Weights, new FeatureTransformTests.ToleranceComparer(1e-9));
        Assert.Equal(central.Bias, pooled.Bias, new FeatureTransformTests.ToleranceComparer(1e-9));
    }

    [Fact]
    public void Moments_under_another_reference_mean_are_refused_when_merging()
    {
        var data = FewShotData.Clusters(seed: 7, count: 30, dimension: D, classes: K);
        var mine = FeatureTransform.Fit(FeatureTransformKind.CenteredL2, data.Embeddings.AsSpan(0, 15 * D), D);
        var theirs = FeatureTransform.Fit(FeatureTransformKind.CenteredL2, data.Embeddings.AsSpan(15 * D), D);
        var a = ClassMoments.FromEmbeddings(mine, data.Embeddings.AsSpan(0, 15 * D), data.Labels.AsSpan(0, 15), K);
        var b = ClassMoments.FromEmbeddings(theirs, data.Embeddings.AsSpan(15 * D), data.Labels.AsSpan(15), K);

        var ex = Assert.Throws<EdgeRuntimeException>(() => a.Merge(b));

        Assert.Contains("reference mean", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void One_sample_per_class_gives_a_finite_nearest_mean_head()
    {
        var data = FewShotData.Clusters(seed: 8, count: K, dimension: D, classes: K);
        var transform = FeatureTransform.Fit(FeatureTransformKind.L2, data.Embeddings, D);

        var fit = ShrinkageDiscriminant.Fit(ClassMoments.FromEmbeddings(transform, data.Embeddings, data.Labels, K), Shrinkage.Oas);
        var head = new FewShotHead(transform, HeadFamily.Discriminant, [fit.ToHead()]);

        Assert.Equal(1, fit.Intensity);
        Assert.All(fit.Weights, w => Assert.True(double.IsFinite(w)));
        Assert.Equal(data.Labels, head.Predict(data.Embeddings));
    }

    [Fact]
    public void A_class_without_samples_is_named()
    {
        var transform = FeatureTransform.Fit(FeatureTransformKind.L2, new float[D], D);
        var moments = ClassMoments.Empty(transform, K);
        moments.Add(new float[] { 1, 2, 3, 4, 5, 6 }, 0);
        moments.Add(new float[] { 6, 5, 4, 3, 2, 1 }, 2);

        var ex = Assert.Throws<EdgeRuntimeException>(() => ShrinkageDiscriminant.Fit(moments, Shrinkage.Oas));

        Assert.Contains("Class(es) 1", ex.Message, StringComparison.Ordinal);
    }
}
