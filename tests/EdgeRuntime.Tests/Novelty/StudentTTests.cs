using EdgeRuntime.Novelty;

namespace EdgeRuntime.Tests.Novelty;

public sealed class StudentTTests
{
    // Values of the t table (e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2), to the three decimals it prints.
    [Theory]
    [InlineData(0.99, 1, 31.821)]
    [InlineData(0.99, 2, 6.965)]
    [InlineData(0.99, 3, 4.541)]
    [InlineData(0.99, 10, 2.764)]
    [InlineData(0.99, 100, 2.364)]
    [InlineData(0.95, 5, 2.015)]
    [InlineData(0.975, 30, 2.042)]
    public void The_quantile_matches_the_t_table(double probability, int degreesOfFreedom, double expected)
    {
        Assert.Equal(expected, StudentT.Quantile(probability, degreesOfFreedom), 3);
    }

    [Fact]
    public void The_lower_quantile_is_the_upper_one_negated()
    {
        Assert.Equal(-StudentT.Quantile(0.9, 4), StudentT.Quantile(0.1, 4), 12);
    }
}
