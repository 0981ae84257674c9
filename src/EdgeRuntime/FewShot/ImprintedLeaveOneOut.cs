namespace EdgeRuntime.FewShot;

/// <summary>
/// Leave-one-out predictions of the imprinted (instant) head: sample i is classified by class-mean directions built
/// without it. An imprinted head has no cross-validation, yet once it is active the gate must judge it on data it did
/// not train on (its own training predictions would be near-perfect and keep the better full head out); leaving one
/// out is exact for class means and costs one pass. The reference mean of the transform is label-free and comes from
/// all samples. A sample whose class has no other sample is predicted among the other classes, so it counts as wrong.
/// </summary>
public static class ImprintedLeaveOneOut
{
    /// <summary>Predicted class per sample, in sample order, under the head's own transform.</summary>
    public static int[] Predict(FewShotHead head, FewShotSamples samples)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(samples);
        var (d, k, n) = (samples.Dimension, samples.ClassCount, samples.Count);
        var features = head.Transform.ApplyAll(samples.Embeddings);
        var units = new double[features.Length];
        var sums = new double[k * d];
        for (var i = 0; i < n; i++)
        {
            var row = features.AsSpan(i * d, d);
            var norm = Math.Sqrt(Dot(row, row));
            if (norm < 1e-12)
            {
                continue;
            }

            var unit = units.AsSpan(i * d, d);
            var sum = sums.AsSpan(samples.Labels[i] * d, d);
            for (var j = 0; j < d; j++)
            {
                unit[j] = row[j] / norm;
                sum[j] += unit[j];
            }
        }

        // Scores are cosines with the class directions: the imprinted head's logits up to its common scale.
        var sumNorms2 = new double[k];
        for (var c = 0; c < k; c++)
        {
            var sum = sums.AsSpan(c * d, d);
            sumNorms2[c] = Dot(sum, sum);
        }

        var predicted = new int[n];
        for (var i = 0; i < n; i++)
        {
            var unit = units.AsSpan(i * d, d);
            var own = samples.Labels[i];
            var (best, bestScore) = (-1, double.NegativeInfinity);
            for (var c = 0; c < k; c++)
            {
                var dot = Dot(sums.AsSpan(c * d, d), unit);
                var norm2 = sumNorms2[c];
                if (c == own)
                {
                    // |S − u|² = |S|² − 2 S·u + |u|², and (S − u)·u = S·u − |u|²; |u|² is 1, or 0 for a zero row.
                    var self = Dot(unit, unit);
                    norm2 += self - (2 * dot);
                    dot -= self;
                }

                if (norm2 < 1e-18)
                {
                    continue;
                }

                var score = dot / Math.Sqrt(norm2);
                if (score > bestScore)
                {
                    (best, bestScore) = (c, score);
                }
            }

            predicted[i] = best < 0 ? (own + 1) % k : best;
        }

        return predicted;
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (var j = 0; j < a.Length; j++)
        {
            s += a[j] * b[j];
        }

        return s;
    }
}
