using System.Globalization;

namespace EdgeRuntime.Training;

/// <summary>
/// In-memory training and holdout sets: row-major embeddings (count × <see cref="Dimension"/>) with labels in
/// [0, <see cref="ClassCount"/>). The arrays are read, never modified.
/// </summary>
public sealed record TrainingData(
    float[] TrainEmbeddings,
    int[] TrainLabels,
    float[] HoldoutEmbeddings,
    int[] HoldoutLabels,
    int Dimension,
    int ClassCount)
{
    public int TrainCount => TrainLabels.Length;

    public int HoldoutCount => HoldoutLabels.Length;

    /// <summary>Training samples per class.</summary>
    public int[] ClassCounts()
    {
        var counts = new int[ClassCount];
        foreach (var label in TrainLabels)
        {
            counts[label]++;
        }

        return counts;
    }

    /// <summary>Throws <see cref="EdgeRuntimeException"/> describing the first problem with the data.</summary>
    public void Validate()
    {
        if (TrainEmbeddings is null || TrainLabels is null || HoldoutEmbeddings is null || HoldoutLabels is null)
        {
            throw new EdgeRuntimeException("Training data is incomplete: embeddings and labels of both the training and the holdout set are required.");
        }

        if (Dimension < 1)
        {
            throw new EdgeRuntimeException(Format($"Embedding dimension must be positive, not {Dimension}."));
        }

        if (ClassCount < 2)
        {
            throw new EdgeRuntimeException(Format($"A classifier needs at least 2 classes, but the data declares {ClassCount}."));
        }

        Check("training", TrainEmbeddings, TrainLabels);
        Check("holdout", HoldoutEmbeddings, HoldoutLabels);
        if (TrainCount == 0)
        {
            throw new EdgeRuntimeException("The training set is empty.");
        }

        if (HoldoutCount == 0)
        {
            throw new EdgeRuntimeException("The holdout set is empty; early stopping and the unknown threshold need held-out samples.");
        }

        var counts = ClassCounts();
        var missing = Enumerable.Range(0, ClassCount).Where(c => counts[c] == 0).ToArray();
        if (missing.Length > 0)
        {
            throw new EdgeRuntimeException(Format($"Class {string.Join(", ", missing)} has no training samples; every class needs at least one."));
        }
    }

    private void Check(string set, float[] embeddings, int[] labels)
    {
        if (embeddings.Length != (long)labels.Length * Dimension)
        {
            throw new EdgeRuntimeException(Format(
                $"The {set} set has {labels.Length} labels but {embeddings.Length} embedding values; expected {(long)labels.Length * Dimension} ({labels.Length} × {Dimension})."));
        }

        for (var i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)ClassCount)
            {
                throw new EdgeRuntimeException(Format($"The {set} sample {i} has label {labels[i]}, outside 0..{ClassCount - 1}."));
            }
        }

        for (var i = 0; i < embeddings.Length; i++)
        {
            if (!float.IsFinite(embeddings[i]))
            {
                throw new EdgeRuntimeException(Format($"The {set} sample {i / Dimension} has a non-finite embedding value ({embeddings[i]}) at component {i % Dimension}."));
            }
        }
    }

    private static string Format(FormattableString message) => message.ToString(CultureInfo.InvariantCulture);
}
