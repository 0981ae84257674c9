namespace EdgeRuntime.Novelty;

/// <summary>
/// The feature map novelty and drift work in: φ(x) = normalize(sqrt(max(x, 0)) − c). Backbone features are
/// post-ReLU and heavy-tailed; the square root evens their scale, centring on the training mean <c>c</c> makes cosine
/// geometry meaningful, and unit length is what Mahalanobis++ needs for one shared covariance to fit every class.
/// Re-centring <c>c</c> on another camera's mean is how adaptation moves the map to a new field.
/// </summary>
public static class NoveltyFeatures
{
    /// <summary>Guards the norm of a frame that equals the centre.</summary>
    public const float Epsilon = 1e-12f;

    /// <summary>The centre: mean of sqrt(max(x, 0)) over row-major <paramref name="embeddings"/>.</summary>
    public static float[] Centre(ReadOnlySpan<float> embeddings, int dimension)
    {
        int rows = embeddings.Length / dimension;
        var sum = new double[dimension];
        for (int n = 0; n < rows; n++)
        {
            var row = embeddings.Slice(n * dimension, dimension);
            for (int j = 0; j < dimension; j++)
            {
                sum[j] += MathF.Sqrt(MathF.Max(row[j], 0f));
            }
        }

        return [.. sum.Select(s => (float)(s / Math.Max(rows, 1)))];
    }

    /// <summary>Writes φ(<paramref name="embedding"/>) to <paramref name="features"/>.</summary>
    public static void Map(ReadOnlySpan<float> embedding, ReadOnlySpan<float> centre, Span<float> features)
    {
        float norm = 0f;
        for (int j = 0; j < embedding.Length; j++)
        {
            float v = MathF.Sqrt(MathF.Max(embedding[j], 0f)) - centre[j];
            features[j] = v;
            norm += v * v;
        }

        float inverse = 1f / MathF.Sqrt(norm + Epsilon);
        for (int j = 0; j < features.Length; j++)
        {
            features[j] *= inverse;
        }
    }

    /// <summary>φ of every row.</summary>
    public static float[] MapAll(ReadOnlySpan<float> embeddings, int dimension, ReadOnlySpan<float> centre)
    {
        var result = new float[embeddings.Length];
        for (int n = 0; n < embeddings.Length / dimension; n++)
        {
            Map(embeddings.Slice(n * dimension, dimension), centre, result.AsSpan(n * dimension, dimension));
        }

        return result;
    }
}
