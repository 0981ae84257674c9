namespace EdgeRuntime.FewShot;

/// <summary>Seeded stratified k-fold assignment: the same labels, k and seed always give the same folds.</summary>
public static class StratifiedFolds
{
    /// <summary>Fold index (0..k−1) of every sample. Each class is shuffled and dealt round-robin, continuing across classes so fold sizes stay balanced.</summary>
    public static int[] Assign(IReadOnlyList<int> labels, int classCount, int folds, int seed)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        var random = new Random(seed);
        var assignment = new int[labels.Count];
        var next = 0;
        for (var c = 0; c < classCount; c++)
        {
            var members = Enumerable.Range(0, labels.Count).Where(i => labels[i] == c).ToArray();
            random.Shuffle(members);
            foreach (var i in members)
            {
                assignment[i] = next++ % folds;
            }
        }

        return assignment;
    }
}
