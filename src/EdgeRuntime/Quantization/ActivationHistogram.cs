namespace EdgeRuntime.Quantization;

/// <summary>
/// The distribution of one activation tensor over the calibration images, in one pass: a histogram of magnitudes,
/// positive and negative sides apart, whose range doubles (merging bin pairs exactly) whenever a larger value arrives.
/// </summary>
internal sealed class ActivationHistogram
{
    public const int BinsPerSide = 2048;
    private readonly long[] _positive = new long[BinsPerSide];
    private readonly long[] _negative = new long[BinsPerSide];
    private double _range;

    public float Min { get; private set; } = float.PositiveInfinity;

    public float Max { get; private set; } = float.NegativeInfinity;

    public long Count { get; private set; }

    public void Add(ReadOnlySpan<float> values)
    {
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (var v in values)
        {
            min = MathF.Min(min, v);
            max = MathF.Max(max, v);
        }

        if (!float.IsFinite(min) || !float.IsFinite(max))
        {
            throw new QuantizationException("The backbone produced a non-finite activation on a calibration image.");
        }

        (Min, Max) = (MathF.Min(Min, min), MathF.Max(Max, max));
        double magnitude = Math.Max(Math.Abs((double)min), max);
        if (_range == 0)
        {
            _range = Math.Max(magnitude, 1e-12);
        }

        while (magnitude > _range)
        {
            Double(_positive);
            Double(_negative);
            _range *= 2;
        }

        double perBin = BinsPerSide / _range;
        foreach (var v in values)
        {
            if (v >= 0)
            {
                _positive[Math.Min(BinsPerSide - 1, (int)(v * perBin))]++;
            }
            else
            {
                _negative[Math.Min(BinsPerSide - 1, (int)(-v * perBin))]++;
            }
        }

        Count += values.Length;
    }

    /// <summary>The range keeping all but (100 - <paramref name="percentile"/>)% of the values on each side.</summary>
    public (float Low, float High) Percentile(double percentile)
    {
        long outliers = (long)(Count * (100 - percentile) / 100);
        return ((float)-Edge(_negative, outliers), (float)Edge(_positive, outliers));
    }

    /// <summary>
    /// The clipping range that loses the least information (TensorRT's entropy calibration): the threshold whose
    /// <paramref name="levels"/>-level quantization of the clipped histogram has the smallest KL divergence from it.
    /// Signed tensors are clipped symmetrically on their magnitudes.
    /// </summary>
    public (float Low, float High) Entropy()
    {
        bool signed = _negative.Any(c => c > 0);
        long[] hist = signed ? [.. _positive.Zip(_negative, (p, n) => p + n)] : _positive;
        int levels = signed ? 128 : 256;
        int last = Array.FindLastIndex(hist, c => c > 0);
        if (last < levels)
        {
            var edge = (float)((last + 1) * _range / BinsPerSide);
            return (signed ? -edge : 0f, edge);
        }

        int best = last + 1;
        double bestDivergence = double.PositiveInfinity;
        var p = new double[BinsPerSide];
        var q = new double[BinsPerSide];
        for (int i = levels; i <= last + 1; i += 8)
        {
            double divergence = Divergence(hist, i, levels, p, q);
            if (divergence < bestDivergence)
            {
                (bestDivergence, best) = (divergence, i);
            }
        }

        var threshold = (float)(best * _range / BinsPerSide);
        return (signed ? Math.Max(-threshold, Min) : 0f, Math.Min(threshold, Max));
    }

    private static double Divergence(long[] hist, int bins, int levels, double[] p, double[] q)
    {
        double outside = 0;
        for (int k = bins; k < hist.Length; k++)
        {
            outside += hist[k];
        }

        for (int k = 0; k < bins; k++)
        {
            p[k] = hist[k];
        }

        p[bins - 1] += outside;
        double perLevel = (double)bins / levels;
        for (int j = 0; j < levels; j++)
        {
            int start = (int)(j * perLevel), end = j == levels - 1 ? bins : (int)((j + 1) * perLevel);
            double total = 0;
            int nonEmpty = 0;
            for (int k = start; k < end; k++)
            {
                total += hist[k];
                nonEmpty += hist[k] > 0 ? 1 : 0;
            }

            double share = nonEmpty == 0 ? 0 : total / nonEmpty;
            for (int k = start; k < end; k++)
            {
                q[k] = hist[k] > 0 ? share : 0;
            }
        }

        double pSum = 0, qSum = 0;
        for (int k = 0; k < bins; k++)
        {
            pSum += p[k];
            qSum += q[k];
        }

        double divergence = 0;
        for (int k = 0; k < bins; k++)
        {
            if (p[k] > 0)
            {
                // The outlier mass folded into the last bin may face an empty quantized bin; a floor keeps it finite.
                double pk = p[k] / pSum, qk = Math.Max(q[k] / qSum, 1e-12);
                divergence += pk * Math.Log(pk / qk);
            }
        }

        return divergence;
    }

    private double Edge(long[] side, long outliers)
    {
        long seen = 0;
        for (int k = BinsPerSide - 1; k >= 0; k--)
        {
            seen += side[k];
            if (seen > outliers)
            {
                return (k + 1) * _range / BinsPerSide;
            }
        }

        return 0;
    }

    private static void Double(long[] side)
    {
        for (int k = 0; k < BinsPerSide / 2; k++)
        {
            side[k] = side[2 * k] + side[(2 * k) + 1];
        }

        Array.Clear(side, BinsPerSide / 2, BinsPerSide / 2);
    }
}
