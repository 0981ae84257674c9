namespace EdgeRuntime.Embeddings;

/// <summary>Result of embedding many images: the good ones, in input order, and the failures with reasons.</summary>
public sealed record BatchEmbeddingResult(IReadOnlyList<EmbeddedImage> Succeeded, IReadOnlyList<ImageFailure> Failed);
