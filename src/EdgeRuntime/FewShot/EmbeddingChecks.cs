using System.Globalization;

namespace EdgeRuntime.FewShot;

/// <summary>The one check of labelled embedding rows the few-shot fitters share: lengths, label range, finite values.</summary>
internal static class EmbeddingChecks
{
    public static void Check(ReadOnlySpan<float> embeddings, ReadOnlySpan<int> labels, int dimension, int classCount)
    {
        if (embeddings.Length != (long)labels.Length * dimension)
        {
            throw new EdgeRuntimeException(string.Create(CultureInfo.InvariantCulture,
                $"{labels.Length} labels need {(long)labels.Length * dimension} embedding values ({labels.Length} × {dimension}), not {embeddings.Length}."));
        }

        for (var i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classCount)
            {
                throw new EdgeRuntimeException(string.Create(CultureInfo.InvariantCulture, $"Sample {i} has label {labels[i]}, outside 0..{classCount - 1}."));
            }
        }

        for (var i = 0; i < embeddings.Length; i++)
        {
            if (!float.IsFinite(embeddings[i]))
            {
                throw new EdgeRuntimeException(string.Create(CultureInfo.InvariantCulture,
                    $"Sample {i / dimension} has a non-finite embedding value ({embeddings[i]}) at component {i % dimension}; remove or re-embed it."));
            }
        }
    }
}
