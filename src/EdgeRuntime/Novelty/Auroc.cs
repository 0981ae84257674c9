namespace EdgeRuntime.Novelty;

/// <summary>Area under the ROC curve of a score that should be higher for novel than for known samples.</summary>
public static class Auroc
{
    /// <summary>P(novel score &gt; known score), ties counted half (Mann-Whitney U / (n·m)); NaN when a side is empty.</summary>
    public static double Compute(IReadOnlyList<float> known, IReadOnlyList<float> novel)
    {
        ArgumentNullException.ThrowIfNull(known);
        ArgumentNullException.ThrowIfNull(novel);
        if (known.Count == 0 || novel.Count == 0)
        {
            return double.NaN;
        }

        var all = known.Select(s => (Score: s, Novel: false)).Concat(novel.Select(s => (Score: s, Novel: true)))
            .OrderBy(p => p.Score).ToArray();
        double rankSum = 0;
        for (int i = 0; i < all.Length;)
        {
            int j = i;
            while (j < all.Length && all[j].Score.Equals(all[i].Score))
            {
                j++;
            }

            double rank = ((i + 1) + j) / 2.0;
            for (int k = i; k < j; k++)
            {
                rankSum += all[k].Novel ? rank : 0;
            }

            i = j;
        }

        double m = novel.Count, n = known.Count;
        return (rankSum - (m * (m + 1) / 2)) / (m * n);
    }

    /// <summary>The score at or above which a share <paramref name="falseRejectRate"/> of <paramref name="known"/> lies.</summary>
    public static float ThresholdFor(IReadOnlyList<float> known, double falseRejectRate)
    {
        ArgumentNullException.ThrowIfNull(known);
        if (known.Count == 0)
        {
            return float.PositiveInfinity;
        }

        var sorted = known.Order().ToArray();
        int index = (int)Math.Ceiling((1 - falseRejectRate) * sorted.Length) - 1;
        index = Math.Clamp(index, 0, sorted.Length - 1);

        // Just above the (1 − rate) quantile: "novel" means strictly beyond what that share of known samples reached.
        return MathF.BitIncrement(sorted[index]);
    }
}
