using EdgeRuntime.Novelty;

namespace EdgeRuntime.Tests.Novelty;

public sealed class ShiftThresholdTests
{
    [Fact]
    public void A_few_residuals_give_a_threshold_well_above_their_largest_and_many_give_one_near_their_quantile()
    {
        var rng = new Random(3);
        float Draw() => (float)Math.Exp(0.4 * Normal(rng));
        var few = Enumerable.Range(0, 4).Select(_ => Draw()).ToArray();
        var many = Enumerable.Range(0, 2000).Select(_ => Draw()).ToArray();

        float small = ShiftThreshold.From(few, few.Length), large = ShiftThreshold.From(many, many.Length);

        // exp(0.4 · z(0.99)) = 2.54 is the true 99th percentile of these residuals.
        Assert.True(small > 1.5 * few.Max(), $"{small} vs largest {few.Max()}");
        Assert.InRange(large, 2.3, 2.9);
        Assert.Equal(ShiftThreshold.EmpiricalQuantile(many, ShiftThreshold.Coverage), large, 0.25);
    }

    [Fact]
    public void Residuals_repeated_over_folds_count_as_the_samples_they_came_from()
    {
        var rng = new Random(4);
        var four = Enumerable.Range(0, 4).Select(_ => (float)Math.Exp(0.4 * Normal(rng))).ToArray();
        var repeated = four.Concat(four).Concat(four).ToArray();

        Assert.True(ShiftThreshold.From(repeated, 4) > ShiftThreshold.From(repeated, repeated.Length));
    }

    [Fact]
    public void A_single_held_out_sample_bounds_nothing()
    {
        Assert.Equal(float.MaxValue, ShiftThreshold.From([1f, 1.1f], 1));
        Assert.Equal(float.MaxValue, ShiftThreshold.From([], 0));
    }

    // Box-Muller: the tests need seeded normal draws and nothing else of a statistics package.
    private static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
