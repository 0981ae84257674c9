namespace EdgeRuntime.Models;

/// <summary>Which backbone output is the embedding. Trailing 1x1 dimensions (pooled maps) are flattened away.</summary>
public sealed class EmbeddingSpec
{
    public string Output { get; set; } = "";

    public int Dimension { get; set; }
}
