using EdgeRuntime.Samples;

namespace EdgeRuntime.Calibration;

/// <summary>
/// The one rule that says whether a data set can train (and judge) a head. The trainer applies it to the snapshot it
/// trains on and the service's job runner to the store's counts before it starts a job, so the two can never
/// disagree about the same samples; change the rule here and both follow.
/// </summary>
public static class TrainingReadiness
{
    /// <summary>What is missing, as a message telling the technician what to capture; null when the data set can train.</summary>
    /// <param name="counts">Samples per class and split; classes without samples (declared only) are ignored.</param>
    /// <param name="explicitHoldout">
    /// The store's holdout split is kept out of training (<c>Calibration:ExplicitHoldout</c>): every class then needs a
    /// training-split sample and the holdout must not be empty. Otherwise every sample trains and one per class is
    /// enough (a class with a single sample gets an instant, imprinted head: cross-validation needs two).
    /// </param>
    public static string? Problem(IReadOnlyList<ClassCount> counts, bool explicitHoldout = false)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var withSamples = counts.Where(c => c.Total > 0).ToList();
        if (withSamples.Count < 2)
        {
            return withSamples.Count == 0
                ? "There are no samples yet: capture or import samples of at least two classes."
                : $"Only one class ('{withSamples[0].Label}') has samples: a classifier needs at least two classes.";
        }

        if (!explicitHoldout)
        {
            return null;
        }

        var empty = withSamples.Where(c => c.Train == 0).ToList();
        if (empty.Count > 0)
        {
            return $"Class(es) {string.Join(", ", empty.Select(c => $"'{c.Label}'"))} have no training samples; capture at least two samples per class.";
        }

        return withSamples.Sum(c => c.Holdout) == 0
            ? "No holdout samples yet (Calibration:ExplicitHoldout is on): capture at least two samples per class so one can be held out."
            : null;
    }

    /// <summary>
    /// Why a full training would not be cross-validated (and so would store an instant head again): a class with a
    /// single sample to train on. Null when the data set can train and every class can be cross-validated.
    /// </summary>
    public static string? CrossValidationProblem(IReadOnlyList<ClassCount> counts, bool explicitHoldout = false)
    {
        if (Problem(counts, explicitHoldout) is { } problem)
        {
            return problem;
        }

        var thin = counts.Where(c => c.Total > 0 && (explicitHoldout ? c.Train : c.Total) < 2).ToList();
        return thin.Count > 0
            ? $"Class(es) {string.Join(", ", thin.Select(c => $"'{c.Label}'"))} have a single sample to train on: cross-validation needs two per class."
            : null;
    }

    /// <exception cref="NotEnoughSamplesException">The data set cannot train; the message is <see cref="Problem"/>'s.</exception>
    public static void ThrowIfNotTrainable(IReadOnlyList<ClassCount> counts, bool explicitHoldout = false)
    {
        if (Problem(counts, explicitHoldout) is { } problem)
        {
            throw new NotEnoughSamplesException(problem);
        }
    }

    /// <summary>The per-class counts of a training snapshot (original views), for <see cref="Problem"/>.</summary>
    public static IReadOnlyList<ClassCount> CountsOf(TrainingSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        var train = new int[set.Labels.Count];
        var holdout = new int[set.Labels.Count];
        for (int i = 0; i < set.Train.Count; i++)
        {
            if (set.Train.Views.Length == 0 || set.Train.Views[i] == 0)
            {
                train[set.Train.Y[i]]++;
            }
        }

        foreach (var y in set.Holdout.Y)
        {
            holdout[y]++;
        }

        return [.. set.Labels.Select((label, i) => new ClassCount(label, train[i], holdout[i]))];
    }
}
