namespace EdgeRuntime.Samples;

/// <summary>Embeddings of one split as a dense matrix with class indices, ready for a trainer.</summary>
public sealed class LabeledEmbeddings
{
    internal LabeledEmbeddings(float[] x, int[] y, long[] sampleIds, int[] views, int dimension)
    {
        X = x;
        Y = y;
        SampleIds = sampleIds;
        Views = views;
        Dimension = dimension;
    }

    /// <summary>Row-major <see cref="Count"/> × <see cref="Dimension"/> float32 matrix.</summary>
#pragma warning disable CA1819 // The trainer consumes the arrays directly; copying a 10k × 512 matrix per call would be waste.
    public float[] X { get; }

    /// <summary>Class index of each row into <see cref="TrainingSet.Labels"/>.</summary>
    public int[] Y { get; }

    /// <summary>Sample id of each row (augmented views repeat their sample's id).</summary>
    public long[] SampleIds { get; }

    /// <summary>View of each row: 0 = original image, &gt; 0 = augmentation index.</summary>
    public int[] Views { get; }
#pragma warning restore CA1819

    /// <summary>Embedding dimension (columns of <see cref="X"/>).</summary>
    public int Dimension { get; }

    /// <summary>Number of rows.</summary>
    public int Count => Y.Length;
}
