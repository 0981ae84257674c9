namespace EdgeRuntime.Embeddings;

/// <summary>One image of a batch and its embedding.</summary>
public sealed record EmbeddedImage(string Name, float[] Embedding);
