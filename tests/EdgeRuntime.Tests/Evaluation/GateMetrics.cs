using EdgeRuntime.Evaluation;

namespace EdgeRuntime.Tests.Evaluation;

/// <summary>Builds holdout metrics with chosen per-class results, so gate tests state accuracies directly.</summary>
internal static class GateMetrics
{
    /// <summary>
    /// <paramref name="classes"/> named in order; each entry of <paramref name="perClass"/> is (class, samples, correct)
    /// and the incorrect samples are answered "unknown".
    /// </summary>
    public static ClassificationMetrics Build(string[] classes, params (string Name, int Samples, int Correct)[] perClass)
    {
        var truth = new List<int>();
        var predicted = new List<int>();
        foreach (var (name, samples, correct) in perClass)
        {
            int index = Array.IndexOf(classes, name);
            for (int i = 0; i < samples; i++)
            {
                truth.Add(index);
                predicted.Add(i < correct ? index : ClassificationMetrics.UnknownPrediction);
            }
        }

        return ClassificationMetrics.Compute(truth, predicted, classes);
    }

    /// <summary>Two classes of 50 holdout samples each, <paramref name="correct"/> of the 100 right.</summary>
    public static ClassificationMetrics Accuracy(int correct) =>
        Build(["ok", "scratch"], ("ok", 50, Math.Min(correct, 50)), ("scratch", 50, Math.Max(0, correct - 50)));
}
