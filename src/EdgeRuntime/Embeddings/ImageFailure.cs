namespace EdgeRuntime.Embeddings;

/// <summary>One image of a batch that could not be embedded, and why.</summary>
public sealed record ImageFailure(string Name, string Reason);
