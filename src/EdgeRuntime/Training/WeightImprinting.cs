namespace EdgeRuntime.Training;

/// <summary>
/// Weight imprinting (Qi et al., 2018): a linear head built at once from class means, with no gradient steps.
/// Column k of W is scale · normalize(mean over class k of normalize(x)); biases are zero. Useful to get a new
/// class working the moment its first samples exist, and as the starting point of training.
/// </summary>
public static class WeightImprinting
{
    /// <summary>Default scale: with unit-norm directions, logits span about ±scale·cosine, enough for confident softmax.</summary>
    public const float DefaultScale = 10f;

    /// <summary>Builds a linear head from row-major <paramref name="embeddings"/> (count × D) and their labels.</summary>
    /// <exception cref="EdgeRuntimeException">Fewer than 2 classes, a class without samples, bad lengths or non-finite values.</exception>
    public static TrainedHead Imprint(float[] embeddings, int[] labels, int dimension, int classCount, float scale = DefaultScale)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(labels);
        new TrainingData(embeddings, labels, new float[Math.Max(dimension, 0)], [0], dimension, classCount).Validate();
        var shape = new HeadShape(HeadKind.Linear, dimension, classCount);
        var weights = ClassDirections(embeddings, labels, dimension, classCount);
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] *= scale;
        }

        return new TrainedHead(shape, [weights, new float[classCount]], AdamState.Zero(shape), 0, []);
    }

    /// <summary>
    /// Returns a copy of linear <paramref name="head"/> with one more class imprinted from <paramref name="classEmbeddings"/>
    /// (count × D), scaled like the existing columns. Optimizer state is reset.
    /// </summary>
    public static TrainedHead AddClass(TrainedHead head, float[] classEmbeddings)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(classEmbeddings);
        if (head.Kind != HeadKind.Linear)
        {
            throw new EdgeRuntimeException("Only a linear head can get an imprinted class; retrain a hidden head instead.");
        }

        var (d, k) = (head.Dimension, head.ClassCount);
        if (classEmbeddings.Length == 0 || classEmbeddings.Length % d != 0)
        {
            throw new EdgeRuntimeException($"The new class needs at least one {d}-d embedding; got {classEmbeddings.Length} values.");
        }

        if (classEmbeddings.Any(v => !float.IsFinite(v)))
        {
            throw new EdgeRuntimeException("The new class has non-finite embedding values.");
        }

        var direction = ClassDirections(classEmbeddings, new int[classEmbeddings.Length / d], d, 1);
        var scale = MeanColumnNorm(head.Parameters[0], d, k);
        var weights = new float[d * (k + 1)];
        for (var r = 0; r < d; r++)
        {
            Array.Copy(head.Parameters[0], r * k, weights, r * (k + 1), k);
            weights[(r * (k + 1)) + k] = scale * direction[r];
        }

        var shape = new HeadShape(HeadKind.Linear, d, k + 1);
        return new TrainedHead(shape, [weights, [.. head.Parameters[1], 0f]], AdamState.Zero(shape), 0, []);
    }

    /// <summary>Unit-norm class-mean directions of L2-normalized embeddings as a D×K row-major matrix (zero column for an absent class).</summary>
    internal static float[] ClassDirections(float[] embeddings, int[] labels, int dimension, int classCount)
    {
        var sums = new double[dimension * classCount];
        for (var n = 0; n < labels.Length; n++)
        {
            var row = embeddings.AsSpan(n * dimension, dimension);
            double norm = 0;
            foreach (var x in row)
            {
                norm += (double)x * x;
            }

            norm = Math.Sqrt(norm);
            if (norm < 1e-12)
            {
                continue;
            }

            for (var j = 0; j < dimension; j++)
            {
                sums[(j * classCount) + labels[n]] += row[j] / norm;
            }
        }

        var result = new float[sums.Length];
        for (var c = 0; c < classCount; c++)
        {
            double norm = 0;
            for (var j = 0; j < dimension; j++)
            {
                norm += sums[(j * classCount) + c] * sums[(j * classCount) + c];
            }

            norm = Math.Sqrt(norm);
            for (var j = 0; j < dimension && norm > 1e-12; j++)
            {
                result[(j * classCount) + c] = (float)(sums[(j * classCount) + c] / norm);
            }
        }

        return result;
    }

    internal static float MeanColumnNorm(float[] weights, int rows, int columns)
    {
        double total = 0;
        for (var c = 0; c < columns; c++)
        {
            double norm = 0;
            for (var r = 0; r < rows; r++)
            {
                norm += (double)weights[(r * columns) + c] * weights[(r * columns) + c];
            }

            total += Math.Sqrt(norm);
        }

        var mean = (float)(total / columns);
        return mean > 1e-6f ? mean : DefaultScale;
    }
}
