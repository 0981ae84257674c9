using EdgeRuntime.Evaluation;
using EdgeRuntime.Inference;

namespace EdgeRuntime.Calibration;

/// <summary>Runs a head over labelled embeddings and scores it.</summary>
public static class HeadEvaluation
{
    /// <summary>
    /// Scores <paramref name="head"/> on the rows whose label it knows. Rows are (embedding, label name); the metrics'
    /// classes are the head's labels. With <paramref name="applyThreshold"/>, low-confidence answers count as unknown.
    /// </summary>
    /// <param name="probabilities">Receives, per evaluated row, the head's probabilities (row-major), for threshold choice.</param>
    public static ClassificationMetrics Evaluate(HeadClassifier head, float[] x, int dimension, IReadOnlyList<string> rowLabels, bool applyThreshold, List<float>? probabilities = null)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(rowLabels);
        var index = head.Labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
        var truth = new List<int>();
        var predicted = new List<int>();
        var scores = new float[head.Labels.Count];
        for (int row = 0; row < rowLabels.Count; row++)
        {
            if (!index.TryGetValue(rowLabels[row], out var trueIndex))
            {
                continue;
            }

            head.Probabilities(x.AsSpan(row * dimension, dimension), scores);
            int best = 0;
            for (int k = 1; k < scores.Length; k++)
            {
                best = scores[k] > scores[best] ? k : best;
            }

            truth.Add(trueIndex);
            predicted.Add(applyThreshold && scores[best] < head.UnknownThreshold ? -1 : best);
            probabilities?.AddRange(scores);
        }

        return ClassificationMetrics.Compute(truth, predicted, head.Labels);
    }
}
