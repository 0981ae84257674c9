using System.Globalization;

namespace EdgeRuntime.Evaluation;

/// <summary>
/// Quality of a classifier on a labelled set, with an "unknown" outcome (prediction <see cref="UnknownPrediction"/>,
/// given when the best score is below the head's threshold).
/// </summary>
/// <remarks>
/// How "unknown" counts: <see cref="Accuracy"/> is correct / all samples, so an unknown answer counts as wrong (a head
/// cannot look better by refusing to answer); <see cref="KnownAccuracy"/> is correct / answered samples and
/// <see cref="Coverage"/> is answered / all. Recall counts unknown as a miss; precision ignores unknown answers.
/// Macro averages are over the classes that occur in the true labels or the predictions (a class absent from the set
/// and never predicted says nothing about the head). Serializes with System.Text.Json (camelCase via
/// <see cref="EvaluationJson.Options"/> or any web defaults).
/// </remarks>
public sealed record ClassificationMetrics
{
    /// <summary>The prediction value meaning "below threshold: unknown".</summary>
    public const int UnknownPrediction = -1;

    /// <summary>Class names; label i means ClassNames[i].</summary>
    public required IReadOnlyList<string> ClassNames { get; init; }

    /// <summary>Number of samples evaluated.</summary>
    public required int Total { get; init; }

    /// <summary>Samples predicted as their true class.</summary>
    public required int Correct { get; init; }

    /// <summary>Samples answered "unknown".</summary>
    public required int Unknown { get; init; }

    /// <summary>Correct / Total: unknown answers count as wrong.</summary>
    public required double Accuracy { get; init; }

    /// <summary>Correct / answered samples (Total - Unknown); 0 when nothing was answered.</summary>
    public required double KnownAccuracy { get; init; }

    /// <summary>Answered samples / Total.</summary>
    public required double Coverage { get; init; }

    /// <summary>Unknown / Total.</summary>
    public required double UnknownRate { get; init; }

    /// <summary>Mean precision over the classes that occur (see remarks).</summary>
    public required double MacroPrecision { get; init; }

    /// <summary>Mean recall over the classes that occur (see remarks).</summary>
    public required double MacroRecall { get; init; }

    /// <summary>Mean F1 over the classes that occur (see remarks).</summary>
    public required double MacroF1 { get; init; }

    /// <summary>Per-class figures, in <see cref="ClassNames"/> order.</summary>
    public required IReadOnlyList<ClassMetrics> PerClass { get; init; }

    /// <summary>ConfusionMatrix[true][predicted] counts; unknown answers are in <see cref="ClassMetrics.Unknown"/>, not here.</summary>
    public required IReadOnlyList<IReadOnlyList<int>> ConfusionMatrix { get; init; }

    /// <summary>Computes the metrics; throws <see cref="EdgeRuntimeException"/> naming the first bad input.</summary>
    public static ClassificationMetrics Compute(IReadOnlyList<int> trueLabels, IReadOnlyList<int> predicted, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(trueLabels);
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(classNames);
        Validate(trueLabels, predicted, classNames);

        int n = classNames.Count;
        var confusion = new int[n][];
        for (int i = 0; i < n; i++)
        {
            confusion[i] = new int[n];
        }

        var unknownByClass = new int[n];
        int correct = 0, unknown = 0;
        for (int s = 0; s < trueLabels.Count; s++)
        {
            int t = trueLabels[s], p = predicted[s];
            if (p == UnknownPrediction)
            {
                unknownByClass[t]++;
                unknown++;
                continue;
            }

            confusion[t][p]++;
            if (t == p)
            {
                correct++;
            }
        }

        var perClass = new ClassMetrics[n];
        var occurring = new List<ClassMetrics>();
        for (int c = 0; c < n; c++)
        {
            int support = confusion[c].Sum() + unknownByClass[c];
            int predictedAs = 0;
            for (int t = 0; t < n; t++)
            {
                predictedAs += confusion[t][c];
            }

            int tp = confusion[c][c];
            double precision = Ratio(tp, predictedAs), recall = Ratio(tp, support);
            perClass[c] = new ClassMetrics
            {
                Name = classNames[c],
                Support = support,
                Predicted = predictedAs,
                TruePositives = tp,
                Unknown = unknownByClass[c],
                Precision = precision,
                Recall = recall,
                F1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall),
            };
            if (support > 0 || predictedAs > 0)
            {
                occurring.Add(perClass[c]);
            }
        }

        int total = trueLabels.Count;
        return new ClassificationMetrics
        {
            ClassNames = [.. classNames],
            Total = total,
            Correct = correct,
            Unknown = unknown,
            Accuracy = Ratio(correct, total),
            KnownAccuracy = Ratio(correct, total - unknown),
            Coverage = Ratio(total - unknown, total),
            UnknownRate = Ratio(unknown, total),
            MacroPrecision = occurring.Average(m => m.Precision),
            MacroRecall = occurring.Average(m => m.Recall),
            MacroF1 = occurring.Average(m => m.F1),
            PerClass = perClass,
            ConfusionMatrix = confusion,
        };
    }

    /// <summary>
    /// Correct answers and samples among samples whose true class is in <paramref name="classes"/>; a prediction of any
    /// other class (or unknown) is a miss. Lets two heads with different class sets be compared on what they share.
    /// </summary>
    internal (int Correct, int Total) CountOver(IReadOnlySet<string> classes)
    {
        int correct = 0, total = 0;
        for (int c = 0; c < ClassNames.Count; c++)
        {
            if (classes.Contains(ClassNames[c]))
            {
                correct += ConfusionMatrix[c][c];
                total += PerClass[c].Support;
            }
        }

        return (correct, total);
    }

    private static double Ratio(int numerator, int denominator) => denominator == 0 ? 0 : (double)numerator / denominator;

    private static void Validate(IReadOnlyList<int> trueLabels, IReadOnlyList<int> predicted, IReadOnlyList<string> classNames)
    {
        if (classNames.Count == 0)
        {
            throw new EdgeRuntimeException("Metrics need at least one class name.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in classNames)
        {
            if (string.IsNullOrWhiteSpace(name) || !seen.Add(name))
            {
                throw new EdgeRuntimeException($"Class name '{name}' is blank or repeated; class names must be unique.");
            }
        }

        if (trueLabels.Count != predicted.Count)
        {
            throw new EdgeRuntimeException(string.Create(CultureInfo.InvariantCulture, $"There are {trueLabels.Count} true labels but {predicted.Count} predictions; they must pair up."));
        }

        if (trueLabels.Count == 0)
        {
            throw new EdgeRuntimeException("Metrics need at least one evaluated sample; the evaluation set is empty.");
        }

        for (int s = 0; s < trueLabels.Count; s++)
        {
            if (trueLabels[s] < 0 || trueLabels[s] >= classNames.Count)
            {
                throw new EdgeRuntimeException(string.Create(CultureInfo.InvariantCulture, $"True label {trueLabels[s]} at index {s} is not a class index (0..{classNames.Count - 1})."));
            }

            if (predicted[s] < UnknownPrediction || predicted[s] >= classNames.Count)
            {
                throw new EdgeRuntimeException(string.Create(CultureInfo.InvariantCulture, $"Prediction {predicted[s]} at index {s} is neither a class index (0..{classNames.Count - 1}) nor {UnknownPrediction} (unknown)."));
            }
        }
    }
}
