namespace EdgeRuntime.Novelty;

/// <summary>
/// Student's t distribution for integer degrees of freedom, exact: the closed-form finite series of its CDF (Abramowitz
/// and Stegun 26.7.3-4), inverted by bisection. No statistics package is referenced, and small-sample bounds need the
/// exact tail (the normal approximation is off by a factor of 2 at 3 degrees of freedom).
/// </summary>
public static class StudentT
{
    /// <summary>The value t with P(T ≤ t) = <paramref name="probability"/>, for T ~ t(<paramref name="degreesOfFreedom"/>).</summary>
    public static double Quantile(double probability, int degreesOfFreedom)
    {
        if (!(probability is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "A probability within (0, 1).");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(degreesOfFreedom, 1);
        if (probability < 0.5)
        {
            return -Quantile(1 - probability, degreesOfFreedom);
        }

        // P(|T| < t) = 2p − 1; grow the bracket until it holds the root (t(1) at 0.9999 is ~3183), then halve it.
        double target = (2 * probability) - 1, low = 0, high = 1;
        while (CentralProbability(high, degreesOfFreedom) < target)
        {
            (low, high) = (high, high * 2);
        }

        for (int i = 0; i < 200 && high - low > 1e-12 * high; i++)
        {
            double mid = 0.5 * (low + high);
            (low, high) = CentralProbability(mid, degreesOfFreedom) < target ? (mid, high) : (low, mid);
        }

        return 0.5 * (low + high);
    }

    /// <summary>P(|T| &lt; t), t ≥ 0.</summary>
    public static double CentralProbability(double t, int degreesOfFreedom)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(degreesOfFreedom, 1);
        int v = degreesOfFreedom;
        double theta = Math.Atan(Math.Abs(t) / Math.Sqrt(v)), c2 = Math.Cos(theta) * Math.Cos(theta), s = Math.Sin(theta);
        if (v % 2 == 1)
        {
            // (2/π)(θ + sinθ·cosθ·(1 + (2/3)cos²θ + … + (2·4⋯(v−3))/(1·3⋯(v−2))·cos^(v−3)θ)); the series is empty at v = 1.
            double term = 1, sum = v > 1 ? 1 : 0;
            for (int k = 3; k <= v - 2; k += 2)
            {
                term *= (k - 1.0) / k * c2;
                sum += term;
            }

            return 2 / Math.PI * (theta + (s * Math.Cos(theta) * sum));
        }

        // sinθ·(1 + (1/2)cos²θ + (1·3)/(2·4)cos⁴θ + … + (1·3⋯(v−3))/(2·4⋯(v−2))·cos^(v−2)θ).
        double evenTerm = 1, evenSum = 1;
        for (int k = 2; k <= v - 2; k += 2)
        {
            evenTerm *= (k - 1.0) / k * c2;
            evenSum += evenTerm;
        }

        return s * evenSum;
    }
}
