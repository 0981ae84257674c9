namespace DeviceHost.Tests.Benchmarks;

/// <summary>A fact that runs only when <c>EDGERUNTIME_BENCH=1</c>: benchmarks take minutes and measure, they do not check.</summary>
public sealed class BenchFactAttribute : FactAttribute
{
    public const string Variable = "EDGERUNTIME_BENCH";

    public BenchFactAttribute()
    {
        if (!string.Equals(Environment.GetEnvironmentVariable(Variable), "1", StringComparison.Ordinal))
        {
            Skip = $"Benchmark; set {Variable}=1 to run it.";
        }
    }
}
