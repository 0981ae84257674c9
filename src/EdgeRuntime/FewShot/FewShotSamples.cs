using EdgeRuntime.Augmentation;

namespace EdgeRuntime.FewShot;

/// <summary>
/// Labelled raw embeddings of the original samples (count × D, labels in [0, K)) and the embeddings of their augmented
/// views. Cross-validation folds are drawn over the originals; a view goes wherever its original goes, and only into
/// training folds. The arrays are read, never modified.
/// </summary>
public sealed record FewShotSamples(float[] Embeddings, int[] Labels, int Dimension, int ClassCount, IReadOnlyList<AugmentedViews> Views)
{
    public FewShotSamples(float[] embeddings, int[] labels, int dimension, int classCount)
        : this(embeddings, labels, dimension, classCount, [])
    {
    }

    public int Count => Labels.Length;

    /// <summary>Samples per class.</summary>
    public int[] ClassCounts()
    {
        var counts = new int[ClassCount];
        foreach (var y in Labels)
        {
            counts[y]++;
        }

        return counts;
    }

    /// <summary>The view kinds present.</summary>
    public ViewKinds AvailableViews => Views.Aggregate(ViewKinds.None, (a, v) => a | v.Kind);

    /// <summary>Throws <see cref="EdgeRuntimeException"/> naming the first problem (lengths, labels, NaN/Inf, view sources).</summary>
    public void Validate()
    {
        if (ClassCount < 2)
        {
            throw new EdgeRuntimeException($"A classifier needs at least 2 classes, not {ClassCount}.");
        }

        if (Dimension < 1)
        {
            throw new EdgeRuntimeException($"Embedding dimension must be positive, not {Dimension}.");
        }

        EmbeddingChecks.Check(Embeddings, Labels, Dimension, ClassCount);
        foreach (var view in Views)
        {
            EmbeddingChecks.Check(view.Embeddings, new int[view.Sources.Length], Dimension, 1);
            if (view.Sources.Any(s => (uint)s >= (uint)Count))
            {
                throw new EdgeRuntimeException($"A {view.Kind} view names an original sample outside 0..{Count - 1}.");
            }
        }
    }

    /// <summary>Training rows: the originals selected by <paramref name="include"/> (first), then their views of the <paramref name="kinds"/>.</summary>
    internal (float[] X, int[] Y, int Originals) Rows(Func<int, bool> include, ViewKinds kinds)
    {
        var d = Dimension;
        var x = new List<float>();
        var y = new List<int>();
        for (var i = 0; i < Count; i++)
        {
            if (include(i))
            {
                x.AddRange(Embeddings.AsSpan(i * d, d));
                y.Add(Labels[i]);
            }
        }

        var originals = y.Count;
        foreach (var view in Views.Where(v => (kinds & v.Kind) != 0))
        {
            for (var i = 0; i < view.Sources.Length; i++)
            {
                if (include(view.Sources[i]))
                {
                    x.AddRange(view.Embeddings.AsSpan(i * d, d));
                    y.Add(Labels[view.Sources[i]]);
                }
            }
        }

        return ([.. x], [.. y], originals);
    }
}
