namespace EdgeRuntime.TestSupport;

/// <summary>Seeded synthetic embedding sets for head-training tests: row-major [count, dimension] plus labels.</summary>
public static class EmbeddingGenerator
{
    /// <summary>
    /// Gaussian clusters around random class centres. <paramref name="spread"/> is the per-component standard
    /// deviation relative to the centre distance scale: small values give separable classes, large ones overlap.
    /// Labels cycle 0..K-1 so every class is equally represented.
    /// </summary>
    public static (float[] Embeddings, int[] Labels) Clusters(int seed, int count, int dimension, int classCount, double spread, double centreScale = 1.0)
    {
        var random = new Random(seed);
        var centres = new double[classCount * dimension];
        for (var i = 0; i < centres.Length; i++)
        {
            centres[i] = Normal(random) * centreScale;
        }

        return Sample(random, centres, count, dimension, classCount, spread);
    }

    /// <summary>Samples from the same class centres as <see cref="Clusters"/> with the same seed (a second, independent draw).</summary>
    public static ((float[] Embeddings, int[] Labels) Train, (float[] Embeddings, int[] Labels) Holdout) TrainAndHoldout(
        int seed, int trainCount, int holdoutCount, int dimension, int classCount, double spread, double centreScale = 1.0)
    {
        var random = new Random(seed);
        var centres = new double[classCount * dimension];
        for (var i = 0; i < centres.Length; i++)
        {
            centres[i] = Normal(random) * centreScale;
        }

        return (Sample(random, centres, trainCount, dimension, classCount, spread), Sample(random, centres, holdoutCount, dimension, classCount, spread));
    }

    /// <summary>A standard normal draw (Box–Muller), deterministic for a seeded <paramref name="random"/>.</summary>
    public static double Normal(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private static (float[] Embeddings, int[] Labels) Sample(Random random, double[] centres, int count, int dimension, int classCount, double spread)
    {
        var embeddings = new float[count * dimension];
        var labels = new int[count];
        for (var n = 0; n < count; n++)
        {
            labels[n] = n % classCount;
            for (var j = 0; j < dimension; j++)
            {
                embeddings[(n * dimension) + j] = (float)(centres[(labels[n] * dimension) + j] + (spread * Normal(random)));
            }
        }

        return (embeddings, labels);
    }
}
