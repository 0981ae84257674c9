namespace EdgeRuntime.Novelty;

/// <summary>
/// The drift monitor's embedding-shift threshold from held-out per-frame residuals (‖P·φ(x) − P·μ_y‖² of samples a
/// fold model did not fit). A steady scene is one frame repeated, so the threshold must bound one new frame's residual
/// with probability <see cref="Coverage"/>.
/// <para>
/// The plain empirical quantile cannot do that on a small calibration set: of n exchangeable residuals, a new frame
/// exceeds the largest with probability 1/(n + 1), so with the few held-out samples of a dozen-sample head the
/// "99th percentile" is the maximum of a handful of values and a steady scene of a known class sits above it about
/// one time in five (four held-out samples). No order statistic is a 99 % bound below 99 samples. So the threshold
/// is also a parametric upper prediction bound: residuals are squared norms, right-skewed and positive, and their
/// logarithms are close to normal;
/// for a new value of a normal sample of size n, mean + t(q; n − 1)·s·√(1 + 1/n) is exceeded with probability exactly
/// 1 − q. Student's t widens it as n shrinks (t(0.99; 3) = 4.5 against 2.3 for large n) and it converges to the normal
/// quantile as n grows, where the empirical quantile takes over again if the tail is heavier than log-normal: the
/// threshold is the larger of the two.
/// </para>
/// <para>
/// The residuals come from <see cref="NoveltyCalibration"/>'s by-sample folds, one per sample; n counts distinct
/// samples, so a caller that scores a sample several times (once per fold of another scheme) passes fewer than the
/// values: repeated residuals of one frame are nearly the same number, not independent evidence.
/// </para>
/// </summary>
public static class ShiftThreshold
{
    /// <summary>Share of single steady frames of known classes the threshold is to stay above.</summary>
    public const double Coverage = 0.99;

    /// <summary>Residuals are floored here before the logarithm (a zero residual is a sample on its class mean).</summary>
    private const double Floor = 1e-12;

    /// <param name="residuals">Held-out residuals, pooled over folds.</param>
    /// <param name="distinctSamples">How many different held-out samples they came from.</param>
    /// <returns>The threshold; <see cref="float.MaxValue"/> (the statistic never raises) when fewer than two distinct samples exist.</returns>
    public static float From(IReadOnlyList<float> residuals, int distinctSamples)
    {
        ArgumentNullException.ThrowIfNull(residuals);
        if (residuals.Count == 0)
        {
            return float.MaxValue;
        }

        // float.MaxValue, not infinity: the threshold is stored as JSON in the head, which has no infinity.
        return (float)Math.Min(Math.Max(EmpiricalQuantile(residuals, Coverage), PredictionBound(residuals, distinctSamples, Coverage)), float.MaxValue);
    }

    /// <summary>The order statistic at <paramref name="q"/> (the largest value below 1/(1 − q) samples).</summary>
    public static double EmpiricalQuantile(IReadOnlyList<float> values, double q)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    /// <summary>
    /// Upper log-normal prediction bound for one new value at level <paramref name="q"/>; infinite with fewer than two
    /// distinct samples (no spread can be estimated: nothing bounds a new frame).
    /// </summary>
    public static double PredictionBound(IReadOnlyList<float> values, int distinctSamples, double q)
    {
        ArgumentNullException.ThrowIfNull(values);
        int n = Math.Min(distinctSamples, values.Count);
        if (n < 2)
        {
            return double.PositiveInfinity;
        }

        var logs = values.Select(v => Math.Log(Math.Max(v, Floor))).ToArray();
        double mean = logs.Average();
        double sd = Math.Sqrt(logs.Sum(l => (l - mean) * (l - mean)) / (logs.Length - 1));
        return Math.Exp(mean + (StudentT.Quantile(q, n - 1) * sd * Math.Sqrt(1 + (1.0 / n))));
    }
}
