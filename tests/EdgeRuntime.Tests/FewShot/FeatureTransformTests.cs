using EdgeRuntime.Features;

namespace EdgeRuntime.Tests.FewShot;

public sealed class FeatureTransformTests
{
    [Theory]
    [InlineData(FeatureTransformKind.None)]
    [InlineData(FeatureTransformKind.L2)]
    [InlineData(FeatureTransformKind.CenteredL2)]
    [InlineData(FeatureTransformKind.PowerCenteredL2)]
    public void Every_kind_matches_the_float64_reference_including_negative_inputs(FeatureTransformKind kind)
    {
        const int D = 7;
        var data = FewShotData.Clusters(seed: 3, count: 20, dimension: D, classes: 2, nonNegative: false);
        var rows = Enumerable.Range(0, 20).Select(i => FewShotData.Row(data.Embeddings, i, D)).ToArray();
        var transform = FeatureTransform.Fit(kind, data.Embeddings, D);
        var mean = transform.IsCentred ? FewShotReference.ReferenceMean(kind.ToString(), rows) : null;

        var actual = transform.ApplyAll(data.Embeddings);

        for (var i = 0; i < rows.Length; i++)
        {
            var expected = FewShotReference.Transform(kind.ToString(), rows[i], mean);
            for (var j = 0; j < D; j++)
            {
                Assert.Equal(expected[j], actual[(i * D) + j], 6);
            }
        }
    }

    [Fact]
    public void The_reference_mean_is_the_mean_of_the_training_embeddings_after_the_power_step()
    {
        var data = FewShotData.Clusters(seed: 4, count: 30, dimension: 5, classes: 3);
        var rows = Enumerable.Range(0, 30).Select(i => FewShotData.Row(data.Embeddings, i, 5)).ToArray();

        var transform = FeatureTransform.Fit(FeatureTransformKind.PowerCenteredL2, data.Embeddings, 5);

        var expected = FewShotReference.ReferenceMean("PowerCenteredL2", rows);
        Assert.Equal(expected, transform.ReferenceMean.Select(v => (double)v), new ToleranceComparer(1e-6));
    }

    [Fact]
    public void A_zero_embedding_becomes_zero_features_not_NaN()
    {
        var transform = FeatureTransform.Fit(FeatureTransformKind.L2, new float[4], 4);

        Assert.All(transform.ApplyAll(new float[4]), v => Assert.Equal(0, v));
    }

    [Fact]
    public void A_reference_mean_of_the_wrong_length_or_with_NaN_is_refused()
    {
        var transform = FeatureTransform.Fit(FeatureTransformKind.CenteredL2, new float[] { 1, 2, 3 }, 3);

        Assert.Contains("3 values", Assert.Throws<EdgeRuntimeException>(() => transform.WithReferenceMean([1, 2])).Message, StringComparison.Ordinal);
        Assert.Contains("non-finite", Assert.Throws<EdgeRuntimeException>(() => transform.WithReferenceMean([1, float.NaN, 2])).Message, StringComparison.Ordinal);
    }

    internal sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
