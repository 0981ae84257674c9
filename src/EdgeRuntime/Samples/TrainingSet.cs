namespace EdgeRuntime.Samples;

/// <summary>
/// All embeddings of one backbone with labels and splits, read from one consistent snapshot of the store.
/// Each split holds original views (view 0) and, when asked, the augmented views of its samples; whoever scores a
/// head keeps views out of what it scores (<see cref="LabeledEmbeddings.Views"/>).
/// </summary>
public sealed class TrainingSet
{
    internal TrainingSet(
        string backboneHash,
        int dimension,
        IReadOnlyList<string> labels,
        LabeledEmbeddings train,
        LabeledEmbeddings holdout,
        int samplesWithoutEmbedding,
        string datasetFingerprint)
    {
        BackboneHash = backboneHash;
        Dimension = dimension;
        Labels = labels;
        Train = train;
        Holdout = holdout;
        SamplesWithoutEmbedding = samplesWithoutEmbedding;
        DatasetFingerprint = datasetFingerprint;
    }

    /// <summary>The backbone the embeddings came from.</summary>
    public string BackboneHash { get; }

    /// <summary>Embedding dimension; 0 when the backbone has no embeddings yet.</summary>
    public int Dimension { get; }

    /// <summary>Class names in ordinal order; <see cref="LabeledEmbeddings.Y"/> indexes into this list.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Training rows.</summary>
    public LabeledEmbeddings Train { get; }

    /// <summary>Holdout rows (original views only).</summary>
    public LabeledEmbeddings Holdout { get; }

    /// <summary>Samples left out because they have no original-view embedding for this backbone yet.</summary>
    public int SamplesWithoutEmbedding { get; }

    /// <summary>The store's dataset fingerprint at the same snapshot (see <see cref="SampleStore.ComputeDatasetFingerprint"/>).</summary>
    public string DatasetFingerprint { get; }
}
