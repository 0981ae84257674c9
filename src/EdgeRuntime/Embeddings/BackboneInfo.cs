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
    string? Licence);
