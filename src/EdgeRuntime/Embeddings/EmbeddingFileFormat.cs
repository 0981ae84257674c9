namespace EdgeRuntime.Embeddings;

/// <summary>File formats for exported embeddings (see README, "Embedding files").</summary>
public enum EmbeddingFileFormat
{
    /// <summary>NumPy .npy, float32, shape (N, D), plus a sidecar "&lt;file&gt;.paths.txt" with one source per line.</summary>
    Npy,

    /// <summary>CSV with a header "path,e0,...,eD-1" and one row per image, invariant culture, round-trip floats.</summary>
    Csv,
}
