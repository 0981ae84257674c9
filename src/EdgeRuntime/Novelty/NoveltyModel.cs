namespace EdgeRuntime.Novelty;

/// <summary>
/// A fitted novelty model of one head's training samples: the feature centre, the shared-covariance whitening, the
/// whitened class means and priors, and a bank of training features for kNN. Scores are "higher = more novel".
/// Immutable; thread-safe. Stored inside the head's ONNX (see <see cref="NoveltyGraph"/>).
/// </summary>
public sealed class NoveltyModel
{
    internal NoveltyModel(int dimension, float[] centre, float[] whitening, float[] whitenedMeans, float[] logPriors, float[] bank)
    {
        Dimension = dimension;
        ClassCount = logPriors.Length;
        Centre = centre;
        Whitening = whitening;
        WhitenedMeans = whitenedMeans;
        LogPriors = logPriors;
        Bank = bank;
        MeanNorms = new float[ClassCount];
        for (int k = 0; k < ClassCount; k++)
        {
            var m = whitenedMeans.AsSpan(k * dimension, dimension);
            MeanNorms[k] = VectorMath.Dot(m, m);
        }
    }

    public int Dimension { get; }

    public int ClassCount { get; }

    /// <summary>c of <see cref="NoveltyFeatures"/> (D).</summary>
    internal float[] Centre { get; }

    /// <summary>P = L⁻¹ of the shared covariance, row-major D×D, lower triangular.</summary>
    internal float[] Whitening { get; }

    /// <summary>P·μₖ for each class, row-major K×D.</summary>
    internal float[] WhitenedMeans { get; }

    /// <summary>‖P·μₖ‖² (K).</summary>
    internal float[] MeanNorms { get; }

    /// <summary>log πₖ of the training class balance (K).</summary>
    internal float[] LogPriors { get; }

    /// <summary>Training features φ, row-major B×D.</summary>
    internal float[] Bank { get; }

    /// <summary>Training class balance πₖ.</summary>
    public IReadOnlyList<double> ClassShares => [.. LogPriors.Select(p => Math.Exp(p))];

    /// <summary>Fits on row-major raw <paramref name="embeddings"/> with labels 0..K−1 (every class present).</summary>
    /// <param name="bankSize">At most this many training features are kept for kNN (a seeded random subsample).</param>
    public static NoveltyModel Fit(float[] embeddings, int[] labels, int dimension, int classCount, int bankSize = 2048, int seed = 17)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(labels);
        if (embeddings.Length != labels.Length * dimension || classCount < 1)
        {
            throw new EdgeRuntimeException($"Novelty fit needs {labels.Length} × {dimension} values and at least one class.");
        }

        var centre = NoveltyFeatures.Centre(embeddings, dimension);
        var features = NoveltyFeatures.MapAll(embeddings, dimension, centre);
        var counts = new int[classCount];
        var means = new double[classCount * dimension];
        for (int n = 0; n < labels.Length; n++)
        {
            counts[labels[n]]++;
            for (int j = 0; j < dimension; j++)
            {
                means[(labels[n] * dimension) + j] += features[(n * dimension) + j];
            }
        }

        if (counts.Any(c => c == 0))
        {
            throw new EdgeRuntimeException("Every class needs at least one sample to fit the novelty model.");
        }

        var mean = new float[means.Length];
        for (int i = 0; i < means.Length; i++)
        {
            mean[i] = (float)(means[i] / counts[i / dimension]);
        }

        var residuals = new float[features.Length];
        for (int n = 0; n < labels.Length; n++)
        {
            for (int j = 0; j < dimension; j++)
            {
                residuals[(n * dimension) + j] = features[(n * dimension) + j] - mean[(labels[n] * dimension) + j];
            }
        }

        var (whitening, _) = ShrinkageCovariance.Whitening(residuals, dimension);
        var whitenedMeans = new float[mean.Length];
        for (int k = 0; k < classCount; k++)
        {
            Whiten(whitening, mean.AsSpan(k * dimension, dimension), whitenedMeans.AsSpan(k * dimension, dimension));
        }

        var logPriors = counts.Select(c => (float)Math.Log((double)c / labels.Length)).ToArray();
        return new NoveltyModel(dimension, centre, whitening, whitenedMeans, logPriors, Subsample(features, labels, dimension, bankSize, seed));
    }

    /// <summary>The same model centred on <paramref name="centre"/> (re-centring on a new camera's frames).</summary>
    public NoveltyModel WithCentre(float[] centre)
    {
        ArgumentNullException.ThrowIfNull(centre);
        if (centre.Length != Dimension)
        {
            throw new EdgeRuntimeException($"A centre has {Dimension} values, not {centre.Length}.");
        }

        return new NoveltyModel(Dimension, [.. centre], Whitening, WhitenedMeans, LogPriors, Bank);
    }

    /// <summary>Scores one raw embedding; <paramref name="whitened"/> (D, optional) receives P·φ(x) for the drift monitor.</summary>
    public float Score(NoveltyScoreKind kind, ReadOnlySpan<float> embedding, Span<float> whitened = default)
    {
        Span<float> phi = stackalloc float[Dimension];
        Span<float> z = whitened.Length == Dimension ? whitened : stackalloc float[Dimension];
        NoveltyFeatures.Map(embedding, Centre, phi);
        if (kind == NoveltyScoreKind.Knn && whitened.Length != Dimension)
        {
            return KnnScore(phi);
        }

        Whiten(Whitening, phi, z);
        return kind switch
        {
            NoveltyScoreKind.Mahalanobis => MahalanobisScore(z),
            NoveltyScoreKind.Energy => EnergyScore(z),
            NoveltyScoreKind.Knn => KnnScore(phi),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    /// <summary>Scores every row of row-major raw <paramref name="embeddings"/>.</summary>
    public float[] ScoreAll(NoveltyScoreKind kind, ReadOnlySpan<float> embeddings)
    {
        var scores = new float[embeddings.Length / Dimension];
        for (int n = 0; n < scores.Length; n++)
        {
            scores[n] = Score(kind, embeddings.Slice(n * Dimension, Dimension));
        }

        return scores;
    }

    /// <summary>Index of the class whose whitened mean is nearest to <paramref name="whitened"/>.</summary>
    public int NearestClass(ReadOnlySpan<float> whitened)
    {
        int best = 0;
        float bestDistance = float.PositiveInfinity;
        for (int k = 0; k < ClassCount; k++)
        {
            float d = MeanNorms[k] - (2 * VectorMath.Dot(whitened, WhitenedMeans.AsSpan(k * Dimension, Dimension)));
            if (d < bestDistance)
            {
                (best, bestDistance) = (k, d);
            }
        }

        return best;
    }

    /// <summary>Whitened mean of class <paramref name="k"/>.</summary>
    public ReadOnlySpan<float> WhitenedMean(int k) => WhitenedMeans.AsSpan(k * Dimension, Dimension);

    internal static void Whiten(float[] whitening, ReadOnlySpan<float> x, Span<float> z)
    {
        int d = x.Length;
        for (int r = 0; r < d; r++)
        {
            // Lower triangular: row r has r + 1 non-zero entries.
            z[r] = VectorMath.Dot(whitening.AsSpan(r * d, r + 1), x[..(r + 1)]);
        }
    }

    private float MahalanobisScore(ReadOnlySpan<float> z)
    {
        float zz = VectorMath.Dot(z, z), best = float.PositiveInfinity;
        for (int k = 0; k < ClassCount; k++)
        {
            best = MathF.Min(best, zz - (2 * VectorMath.Dot(z, WhitenedMeans.AsSpan(k * Dimension, Dimension))) + MeanNorms[k]);
        }

        return best;
    }

    private float EnergyScore(ReadOnlySpan<float> z)
    {
        Span<float> logits = stackalloc float[ClassCount];
        float max = float.NegativeInfinity;
        for (int k = 0; k < ClassCount; k++)
        {
            logits[k] = VectorMath.Dot(z, WhitenedMeans.AsSpan(k * Dimension, Dimension)) - (0.5f * MeanNorms[k]) + LogPriors[k];
            max = MathF.Max(max, logits[k]);
        }

        float sum = 0;
        foreach (var l in logits)
        {
            sum += MathF.Exp(l - max);
        }

        return -(max + MathF.Log(sum));
    }

    private float KnnScore(ReadOnlySpan<float> phi)
    {
        float best = float.NegativeInfinity;
        for (int b = 0; b < Bank.Length / Dimension; b++)
        {
            best = MathF.Max(best, VectorMath.Dot(phi, Bank.AsSpan(b * Dimension, Dimension)));
        }

        return 1f - best;
    }

    private static float[] Subsample(float[] features, int[] labels, int dimension, int bankSize, int seed)
    {
        if (labels.Length <= bankSize)
        {
            return features;
        }

        var order = Enumerable.Range(0, labels.Length).ToArray();
        new Random(seed).Shuffle(order);
        var keep = order.Take(bankSize).Order().ToArray();
        var bank = new float[keep.Length * dimension];
        for (int i = 0; i < keep.Length; i++)
        {
            Array.Copy(features, keep[i] * dimension, bank, i * dimension, dimension);
        }

        return bank;
    }
}
