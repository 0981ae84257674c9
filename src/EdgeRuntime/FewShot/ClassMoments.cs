using System.Globalization;
using EdgeRuntime.Features;

namespace EdgeRuntime.FewShot;

/// <summary>
/// Sufficient statistics of labelled embeddings under one <see cref="FeatureTransform"/>, in float64: per class the
/// count and the sum of transformed features, and the scatter Σ f·fᵀ pooled over all classes. A shared-covariance
/// discriminant needs nothing else, so <see cref="ShrinkageDiscriminant.Fit"/> on the <see cref="Merge"/> of several
/// devices' moments is exactly the head trained on their pooled samples. (Per-class scatters would cost K times the
/// memory - 100 MB for 50 classes at D = 512 - and the shared-covariance head does not use them.)
/// <para>
/// Moments only merge under the same transform, reference mean included: pool the reference mean first (the
/// count-weighted mean of each device's <see cref="FeatureTransform.ReferenceMeanOf"/>), then build moments with
/// <see cref="FeatureTransform.WithReferenceMean"/> of it on every device. Not thread-safe.
/// </para>
/// </summary>
public sealed class ClassMoments
{
    private ClassMoments(FeatureTransform transform, int classCount, long[] counts, double[] sums, double[] scatter)
    {
        Transform = transform;
        ClassCount = classCount;
        Counts = counts;
        Sums = sums;
        Scatter = scatter;
    }

    public FeatureTransform Transform { get; }

    public int Dimension => Transform.Dimension;

    public int ClassCount { get; }

    /// <summary>Samples per class (length K).</summary>
    public long[] Counts { get; }

    /// <summary>Per class the sum of transformed features (K × D, row-major).</summary>
    public double[] Sums { get; }

    /// <summary>Σ f·fᵀ over every sample of every class (D × D, row-major, symmetric).</summary>
    public double[] Scatter { get; }

    public long TotalCount => Counts.Sum();

    /// <summary>Empty moments for <paramref name="classCount"/> classes.</summary>
    public static ClassMoments Empty(FeatureTransform transform, int classCount)
    {
        ArgumentNullException.ThrowIfNull(transform);
        if (classCount < 1)
        {
            throw new EdgeRuntimeException($"Class moments need at least one class, not {classCount}.");
        }

        var d = transform.Dimension;
        return new ClassMoments(transform, classCount, new long[classCount], new double[classCount * d], new double[d * d]);
    }

    /// <summary>Moments rebuilt from their parts (e.g. received from another device); the arrays are copied and checked.</summary>
    public static ClassMoments FromParts(FeatureTransform transform, long[] counts, double[] sums, double[] scatter)
    {
        ArgumentNullException.ThrowIfNull(transform);
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(sums);
        ArgumentNullException.ThrowIfNull(scatter);
        var d = transform.Dimension;
        if (counts.Length < 1 || sums.Length != counts.Length * d || scatter.Length != d * d)
        {
            throw new EdgeRuntimeException(string.Create(CultureInfo.InvariantCulture,
                $"Class moments for {counts.Length} classes at D = {d} need {counts.Length * d} sums and {d * d} scatter values, not {sums.Length} and {scatter.Length}."));
        }

        if (counts.Any(c => c < 0) || sums.Any(v => !double.IsFinite(v)) || scatter.Any(v => !double.IsFinite(v)))
        {
            throw new EdgeRuntimeException("Class moments hold a negative count or non-finite values.");
        }

        return new ClassMoments(transform, counts.Length, (long[])counts.Clone(), (double[])sums.Clone(), (double[])scatter.Clone());
    }

    /// <summary>Moments of raw <paramref name="embeddings"/> (count × D) with <paramref name="labels"/> in [0, K).</summary>
    public static ClassMoments FromEmbeddings(FeatureTransform transform, ReadOnlySpan<float> embeddings, ReadOnlySpan<int> labels, int classCount)
    {
        ArgumentNullException.ThrowIfNull(transform);
        var moments = Empty(transform, classCount);
        EmbeddingChecks.Check(embeddings, labels, transform.Dimension, classCount);
        moments.AddFeatures(transform.ApplyAll(embeddings), labels);
        return moments;
    }

    /// <summary>Adds one raw embedding of class <paramref name="label"/>.</summary>
    public void Add(ReadOnlySpan<float> embedding, int label) => AddFeatures(Transform.ApplyAll(Checked(embedding, label)), [label]);

    /// <summary>Adds <paramref name="other"/>'s samples to these moments.</summary>
    /// <exception cref="EdgeRuntimeException">Different transform, reference mean or class count.</exception>
    public void Merge(ClassMoments other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.ClassCount != ClassCount || other.Transform.Kind != Transform.Kind || !other.Transform.ReferenceMean.AsSpan().SequenceEqual(Transform.ReferenceMean))
        {
            throw new EdgeRuntimeException(
                $"Class moments merge only under the same transform and classes: {Transform.Kind} with {ClassCount} classes vs {other.Transform.Kind} with {other.ClassCount} (or another reference mean).");
        }

        for (var c = 0; c < ClassCount; c++)
        {
            Counts[c] += other.Counts[c];
        }

        for (var i = 0; i < Sums.Length; i++)
        {
            Sums[i] += other.Sums[i];
        }

        for (var i = 0; i < Scatter.Length; i++)
        {
            Scatter[i] += other.Scatter[i];
        }
    }

    /// <summary>Adds already transformed features (rows of D).</summary>
    internal void AddFeatures(ReadOnlySpan<double> features, ReadOnlySpan<int> labels)
    {
        var d = Dimension;
        for (var n = 0; n < labels.Length; n++)
        {
            Counts[labels[n]]++;
            var row = features.Slice(n * d, d);
            var sum = Sums.AsSpan(labels[n] * d, d);
            for (var j = 0; j < d; j++)
            {
                sum[j] += row[j];
            }
        }

        DenseMath.AddGram(features, labels.Length, d, Scatter);
    }

    private ReadOnlySpan<float> Checked(ReadOnlySpan<float> embedding, int label)
    {
        EmbeddingChecks.Check(embedding, [label], Dimension, ClassCount);
        return embedding;
    }
}
