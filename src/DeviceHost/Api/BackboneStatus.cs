using EdgeRuntime.Execution;

namespace DeviceHost.Api;

/// <summary>The loaded backbone in /status: what it is and where it runs (and why not elsewhere).</summary>
public sealed record BackboneStatus(
    string Name,
    ExecutionProvider Provider,
    IReadOnlyList<ProviderFailure> ProviderFailures,
    int EmbeddingDimension,
    string BackboneHash,
    bool Ready);
