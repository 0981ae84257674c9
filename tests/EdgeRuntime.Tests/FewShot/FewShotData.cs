using EdgeRuntime.FewShot;
using EdgeRuntime.TestSupport;

namespace EdgeRuntime.Tests.FewShot;

/// <summary>Seeded few-shot sample sets: non-negative clustered embeddings like pooled ResNet features, or signed ones.</summary>
internal static class FewShotData
{
    public static FewShotSamples Clusters(int seed, int count, int dimension, int classes, double spread = 0.6, bool nonNegative = true)
    {
        var (x, y) = EmbeddingGenerator.Clusters(seed, count, dimension, classes, spread);
        if (nonNegative)
        {
            x = [.. x.Select(v => Math.Abs(v) + 0.05f)];
        }

        return new FewShotSamples(x, y, dimension, classes);
    }

    public static double[] Row(float[] x, int row, int d) => [.. x.AsSpan(row * d, d).ToArray().Select(v => (double)v)];
}
