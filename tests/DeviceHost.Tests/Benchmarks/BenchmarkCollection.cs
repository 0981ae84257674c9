namespace DeviceHost.Tests.Benchmarks;

/// <summary>Benchmarks run alone: no other test class may compete for the cores while they measure.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BenchmarkCollection
{
    public const string Name = "Benchmarks";
}
