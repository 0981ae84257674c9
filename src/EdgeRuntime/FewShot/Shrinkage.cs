using System.Globalization;

namespace EdgeRuntime.FewShot;

/// <summary>
/// How far the discriminant's pooled covariance S is pulled towards ν·I (ν = tr S / D): Σ = (1 − α)·S + α·ν·I.
/// <see cref="Oas"/> estimates α from S and N alone (Oracle Approximating Shrinkage, Chen et al. 2010), so it is
/// computable from <see cref="ClassMoments"/> - pooled fleet moments included. Ledoit–Wolf's estimate needs fourth
/// moments of every sample, which the moments do not keep; OAS is the moment-only estimator of the same target.
/// </summary>
public readonly record struct Shrinkage
{
    private Shrinkage(bool estimated, double intensity)
    {
        IsEstimated = estimated;
        Intensity = intensity;
    }

    /// <summary>α is estimated by OAS from the moments.</summary>
    public static Shrinkage Oas => new(true, double.NaN);

    /// <summary>True for <see cref="Oas"/>.</summary>
    public bool IsEstimated { get; }

    /// <summary>Fixed α in (0, 1]; NaN when estimated.</summary>
    public double Intensity { get; }

    /// <summary>A fixed intensity α in (0, 1].</summary>
    public static Shrinkage Fixed(double intensity) => intensity is > 0 and <= 1
        ? new Shrinkage(false, intensity)
        : throw new EdgeRuntimeException(string.Create(CultureInfo.InvariantCulture, $"A shrinkage intensity must be in (0, 1], not {intensity}."));

    public override string ToString() => IsEstimated ? "OAS" : Intensity.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>
    /// The OAS intensity (scikit-learn's formula): with μ = tr S / D and a = ‖S‖²_F / D²,
    /// α = min(1, (a + μ²) / ((N + 1)·(a − μ²/D))).
    /// </summary>
    internal static double OasIntensity(double trace, double frobeniusSquared, int d, long n)
    {
        var mu = trace / d;
        var a = frobeniusSquared / ((double)d * d);
        var denominator = (n + 1) * (a - (mu * mu / d));
        return denominator <= 0 ? 1 : Math.Clamp((a + (mu * mu)) / denominator, 0, 1);
    }
}
