namespace EdgeRuntime.Execution;

/// <summary>One provider that could not be used, and why (shown in logs and on the status endpoint).</summary>
public sealed record ProviderFailure(ExecutionProvider Provider, string Reason);
