using System.Globalization;
using EdgeRuntime.Features;
using EdgeRuntime.FewShot;

namespace EdgeRuntime.Fleet;

/// <summary>
/// The aggregator side of federation: pools the devices' reference-mean reports into one mean, then their class
/// moments (remapped onto the union of classes, sorted ordinally) into one <see cref="ClassMoments"/> and fits the
/// shrinkage discriminant on it. Because the moments are sufficient statistics of that head, the result is the head
/// a central fit on all the devices' embeddings would give (up to float rounding).
/// </summary>
public static class FleetAggregator
{
    /// <summary>Σ prepared sums / Σ counts over the devices, in float64, then to the float32 a transform stores.</summary>
    public static float[] PoolReferenceMean(IReadOnlyList<MomentsReport> reports)
    {
        int d = Check(reports, MomentsRequest.ReferenceMeanStage);
        var total = new double[d];
        long count = 0;
        foreach (var report in reports)
        {
            var sum = MomentsReport.Unpack(report.PreparedSum, d, "preparedSum");
            for (int j = 0; j < d; j++)
            {
                total[j] += sum[j];
            }

            count += report.Counts.Sum();
        }

        if (count == 0)
        {
            throw new EdgeRuntimeException("No device reported any sample.");
        }

        return [.. total.Select(v => (float)(v / count))];
    }

    /// <summary>The pooled moments over the union of the reports' classes (ordinal order).</summary>
    public static (ClassMoments Moments, IReadOnlyList<string> Labels) Pool(IReadOnlyList<MomentsReport> reports)
    {
        int d = Check(reports, MomentsRequest.MomentsStage);
        var first = reports[0];
        var mean = first.ReferenceMean ?? new float[d];
        if (reports.Any(r => r.ReferenceMean is null || !r.ReferenceMean.AsSpan().SequenceEqual(mean)))
        {
            throw new EdgeRuntimeException("The devices' moments were taken under different reference means; ask again with one.");
        }

        var transform = FeatureTransform.Create(first.Transform, d, mean);
        var labels = reports.SelectMany(r => r.Labels).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var index = labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
        var pooled = ClassMoments.Empty(transform, labels.Count);
        foreach (var report in reports)
        {
            var counts = new long[labels.Count];
            var sums = new double[labels.Count * d];
            var own = MomentsReport.Unpack(report.Sums, report.Labels.Count * d, "sums");
            for (int c = 0; c < report.Labels.Count; c++)
            {
                int u = index[report.Labels[c]];
                counts[u] = report.Counts[c];
                own.AsSpan(c * d, d).CopyTo(sums.AsSpan(u * d, d));
            }

            pooled.Merge(ClassMoments.FromParts(transform, counts, sums, MomentsReport.Unpack(report.Scatter, d * d, "scatter")));
        }

        return (pooled, labels);
    }

    /// <summary>The pooled discriminant head.</summary>
    public static FewShotHead Fit(ClassMoments moments, Shrinkage shrinkage)
    {
        ArgumentNullException.ThrowIfNull(moments);
        return new FewShotHead(moments.Transform, HeadFamily.Discriminant, [ShrinkageDiscriminant.Fit(moments, shrinkage).ToHead()]);
    }

    private static int Check(IReadOnlyList<MomentsReport> reports, string stage)
    {
        ArgumentNullException.ThrowIfNull(reports);
        if (reports.Count == 0)
        {
            throw new EdgeRuntimeException("No moments reports to pool.");
        }

        var first = reports[0];
        foreach (var r in reports)
        {
            if (r.Stage != stage || r.BackboneHash != first.BackboneHash || r.Dimension != first.Dimension || r.Transform != first.Transform || r.Counts.Length != r.Labels.Count)
            {
                throw new EdgeRuntimeException(string.Create(CultureInfo.InvariantCulture,
                    $"Device {r.DeviceId}'s report ({r.Stage}, backbone {r.BackboneHash}, {r.Dimension}-d, {r.Transform}) does not match {first.DeviceId}'s ({stage}, {first.BackboneHash}, {first.Dimension}-d, {first.Transform})."));
            }
        }

        return first.Dimension;
    }
}
