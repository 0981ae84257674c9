using EdgeRuntime.Augmentation;
using EdgeRuntime.FewShot;
using EdgeRuntime.Samples;

namespace EdgeRuntime.Calibration;

/// <summary>
/// What one training run learns from: every original sample (or, with <c>Calibration:ExplicitHoldout</c>, all but
/// the store's holdout split) with its id and label, their augmented views by kind, and the explicit holdout rows.
/// </summary>
internal sealed record TrainingCorpus(
    FewShotSamples Samples,
    IReadOnlyList<long> SampleIds,
    IReadOnlyList<string> Labels,
    IReadOnlyList<bool> FromHoldoutSplit,
    float[] HoldoutX,
    IReadOnlyList<string> HoldoutLabels)
{
    public int AugmentedRows => Samples.Views.Sum(v => v.Sources.Length);

    public static TrainingCorpus From(TrainingSet set, bool explicitHoldout)
    {
        var d = set.Dimension;
        var x = new List<float>();
        var y = new List<int>();
        var ids = new List<long>();
        var fromHoldout = new List<bool>();
        var position = new Dictionary<long, int>();
        var holdoutX = new List<float>();
        var holdoutLabels = new List<string>();
        foreach (var (rows, isHoldout) in new[] { (set.Train, false), (set.Holdout, true) })
        {
            for (var i = 0; i < rows.Count; i++)
            {
                if (rows.Views[i] != 0)
                {
                    continue;
                }

                if (isHoldout && explicitHoldout)
                {
                    holdoutX.AddRange(rows.X.AsSpan(i * d, d));
                    holdoutLabels.Add(set.Labels[rows.Y[i]]);
                    continue;
                }

                position[rows.SampleIds[i]] = ids.Count;
                x.AddRange(rows.X.AsSpan(i * d, d));
                y.Add(rows.Y[i]);
                ids.Add(rows.SampleIds[i]);
                fromHoldout.Add(isHoldout);
            }
        }

        var views = new List<AugmentedViews>();
        foreach (var kind in KindViewAugmenter.Kinds)
        {
            var id = KindViewAugmenter.ViewId(kind);
            var vx = new List<float>();
            var sources = new List<int>();
            foreach (var rows in new[] { set.Train, set.Holdout })
            {
                for (var i = 0; i < rows.Count; i++)
                {
                    if (rows.Views[i] == id && position.TryGetValue(rows.SampleIds[i], out var source))
                    {
                        vx.AddRange(rows.X.AsSpan(i * d, d));
                        sources.Add(source);
                    }
                }
            }

            if (sources.Count > 0)
            {
                views.Add(new AugmentedViews(kind, [.. vx], [.. sources]));
            }
        }

        var samples = new FewShotSamples([.. x], [.. y], d, set.Labels.Count, views);
        return new TrainingCorpus(samples, ids, [.. y.Select(c => set.Labels[c])], fromHoldout, [.. holdoutX], holdoutLabels);
    }
}
