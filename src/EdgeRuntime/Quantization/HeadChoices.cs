using EdgeRuntime.Inference;

namespace EdgeRuntime.Quantization;

/// <summary>The class a head picks for each of a set of embeddings, for the parity check's agreement figure.</summary>
/// <param name="Version">Head version that chose.</param>
/// <param name="Classes">Index of the most probable class per embedding.</param>
public sealed record HeadChoices(int Version, int[] Classes)
{
    /// <summary>Chooses with <paramref name="head"/>, which the caller keeps alive during the call.</summary>
    public static Func<float[], int, HeadChoices?> Using(HeadClassifier head)
    {
        ArgumentNullException.ThrowIfNull(head);
        return (embeddings, dimension) => Choose(head, embeddings, dimension);
    }

    public static HeadChoices Choose(HeadClassifier head, float[] embeddings, int dimension)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(embeddings);
        int n = embeddings.Length / dimension;
        var classes = new int[n];
        var probabilities = new float[head.Labels.Count];
        for (int i = 0; i < n; i++)
        {
            head.Probabilities(embeddings.AsSpan(i * dimension, dimension), probabilities);
            int best = 0;
            for (int k = 1; k < probabilities.Length; k++)
            {
                best = probabilities[k] > probabilities[best] ? k : best;
            }

            classes[i] = best;
        }

        return new HeadChoices(head.Version, classes);
    }
}
