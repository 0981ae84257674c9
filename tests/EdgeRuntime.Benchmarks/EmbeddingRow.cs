using Microsoft.ML.Data;

namespace EdgeRuntime.Benchmarks;

/// <summary>One embedding as an ML.NET row.</summary>
public sealed class EmbeddingRow
{
    public const int Dimension = 512;

    [VectorType(Dimension)]
#pragma warning disable CA1819 // ML.NET binds vector columns to array properties.
    public float[] Features { get; set; } = [];
#pragma warning restore CA1819

    public uint Label { get; set; }

    public static IEnumerable<EmbeddingRow> Rows(float[] embeddings, int[] labels) =>
        labels.Select((label, i) => new EmbeddingRow { Features = embeddings.AsSpan(i * Dimension, Dimension).ToArray(), Label = (uint)label }).ToList();
}
