using EdgeRuntime.Evaluation;
using EdgeRuntime.Heads;
using EdgeRuntime.Inference;

namespace EdgeRuntime.Calibration;

/// <summary>
/// The gate's numbers, only from data the evaluated head did not train on (docs/few-shot-heads.md, "The gate's data"):
/// the candidate by its cross-validation out-of-fold predictions; the active head, sample by sample, by its own
/// recorded out-of-fold prediction where it trained on the sample, and by a prediction now where it did not (samples
/// added since, or relabelled). A head from before cross-validation has no record: both are then compared on the
/// store's holdout split only, which it never trained on.
/// </summary>
internal static class GateEvidence
{
    public static (ClassificationMetrics Candidate, ActiveHeadEvaluation? Active) Build(
        TrainingCorpus corpus, IReadOnlyList<string> labels, int[] candidatePredicted, LoadedHead? active, HeadClassifier? activeClassifier)
    {
        var rows = Enumerable.Range(0, corpus.Labels.Count).ToList();
        if (active is null || activeClassifier is null)
        {
            return (Compute(rows, corpus, labels, candidatePredicted), null);
        }

        var recorded = active.Manifest.Recipe?.OutOfFold.ToDictionary(p => p.SampleId);
        if (recorded is null)
        {
            rows = [.. rows.Where(i => corpus.FromHoldoutSplit[i])];
        }

        var activeLabels = active.Manifest.Labels;
        var index = activeLabels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
        var truth = new List<int>();
        var predicted = new List<int>();
        var scores = new float[activeLabels.Count];
        var d = corpus.Samples.Dimension;
        foreach (var i in rows)
        {
            if (!index.TryGetValue(corpus.Labels[i], out var trueIndex))
            {
                continue;
            }

            int guess;
            if (recorded is not null && recorded.TryGetValue(corpus.SampleIds[i], out var prediction) && prediction.Label == corpus.Labels[i] && index.TryGetValue(prediction.Predicted, out var p))
            {
                guess = p;
            }
            else
            {
                activeClassifier.Probabilities(corpus.Samples.Embeddings.AsSpan(i * d, d), scores);
                guess = Array.IndexOf(scores, scores.Max());
            }

            truth.Add(trueIndex);
            predicted.Add(guess);
        }

        var activeMetrics = ClassificationMetrics.Compute(truth, predicted, activeLabels);
        return (Compute(rows, corpus, labels, candidatePredicted), new ActiveHeadEvaluation(active.Version, activeMetrics));
    }

    private static ClassificationMetrics Compute(List<int> rows, TrainingCorpus corpus, IReadOnlyList<string> labels, int[] predicted) =>
        ClassificationMetrics.Compute([.. rows.Select(i => corpus.Samples.Labels[i])], [.. rows.Select(i => predicted[i])], labels);
}
