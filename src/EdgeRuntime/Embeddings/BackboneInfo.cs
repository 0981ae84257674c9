using EdgeRuntime.Execution;
using EdgeRuntime.Models;
using EdgeRuntime.Preprocessing;

namespace EdgeRuntime.Embeddings;

/// <summary>What is loaded and where it runs: for the status endpoint and the <c>info</c> command.</summary>
public sealed record BackboneInfo(
    string Name,
    string ManifestPath,
    string ModelPath,
    InputSpec Input,
    ResizeMode Resize,
    int EmbeddingDimension,
    ExecutionProvider Provider,
    IReadOnlyList<ProviderFailure> ProviderFailures,
    bool BatchMadeDynamic,
    int MaxBatchSize,
    string BackboneHash,
    string? Source,
    string? Licence)
{
    /// <summary>Configured and active precision with the quantization figures; fp32 as configured when never set.</summary>
    public PrecisionStatus Precision { get; init; } = PrecisionStatus.Fp32(BackbonePrecision.Fp32);

    /// <summary>The fp32 backbone's hash, which int8 models and their cache are keyed by.</summary>
    public string Fp32Hash { get; init; } = "";
}
