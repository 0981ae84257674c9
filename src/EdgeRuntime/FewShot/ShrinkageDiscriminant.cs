using System.Globalization;
using EdgeRuntime.Interop;

namespace EdgeRuntime.FewShot;

/// <summary>
/// Linear discriminant analysis with one shared, shrunk covariance, fit in closed form from <see cref="ClassMoments"/>
/// (plain managed float64: Cholesky of a D × D matrix). Linear at inference: one MatMul + Add.
/// Class priors are uniform (unlike scikit-learn's sample shares): how many samples a technician captured of a class
/// says nothing about how often it appears in the field, and a 3-sample class must not lose to a 300-sample one by prior alone.
/// </summary>
public static class ShrinkageDiscriminant
{
    /// <summary>Fits the head; every class needs at least one sample.</summary>
    /// <exception cref="EdgeRuntimeException">A class without samples, or non-finite moments.</exception>
    public static DiscriminantFit Fit(ClassMoments moments, Shrinkage shrinkage)
    {
        ArgumentNullException.ThrowIfNull(moments);
        var (d, k) = (moments.Dimension, moments.ClassCount);
        var empty = Enumerable.Range(0, k).Where(c => moments.Counts[c] == 0).ToList();
        if (empty.Count > 0)
        {
            throw new EdgeRuntimeException($"Class(es) {string.Join(", ", empty)} have no samples; the discriminant needs every class.");
        }

        var n = moments.TotalCount;
        var means = new double[k * d];
        for (var c = 0; c < k; c++)
        {
            for (var j = 0; j < d; j++)
            {
                means[(c * d) + j] = moments.Sums[(c * d) + j] / moments.Counts[c];
            }
        }

        // Pooled within-class covariance: (Σ f fᵀ − Σ_k n_k μ_k μ_kᵀ) / (N − K).
        var covariance = (double[])moments.Scatter.Clone();
        var degrees = Math.Max(n - k, 1);
        PoolWork.For(0, d, i =>
        {
            for (var j = 0; j < d; j++)
            {
                double between = 0;
                for (var c = 0; c < k; c++)
                {
                    between += moments.Counts[c] * means[(c * d) + i] * means[(c * d) + j];
                }

                covariance[(i * d) + j] = (covariance[(i * d) + j] - between) / degrees;
            }
        });

        double trace = 0, frobenius = 0;
        for (var i = 0; i < d; i++)
        {
            trace += covariance[(i * d) + i];
            frobenius += DenseMath.Dot(covariance.AsSpan(i * d, d), covariance.AsSpan(i * d, d));
        }

        if (!double.IsFinite(trace) || !double.IsFinite(frobenius))
        {
            throw new EdgeRuntimeException("The class moments give a non-finite covariance.");
        }

        // One sample per class leaves no within-class spread: the target is then the unit sphere's isotropic 1/D.
        var nu = trace > 1e-12 ? trace / d : 1.0 / d;
        var alpha = shrinkage.IsEstimated ? Shrinkage.OasIntensity(trace, frobenius, d, n) : shrinkage.Intensity;
        alpha = trace > 1e-12 ? Math.Max(alpha, 1e-6) : 1;
        for (var i = 0; i < d; i++)
        {
            for (var j = 0; j < d; j++)
            {
                covariance[(i * d) + j] *= 1 - alpha;
            }

            covariance[(i * d) + i] += alpha * nu;
        }

        DenseMath.Cholesky(covariance, d);
        var weights = new double[d * k];
        var bias = new double[k];
        var column = new double[d];
        for (var c = 0; c < k; c++)
        {
            var mean = means.AsSpan(c * d, d);
            mean.CopyTo(column);
            DenseMath.CholeskySolve(covariance, d, column);
            for (var j = 0; j < d; j++)
            {
                weights[(j * k) + c] = column[j];
            }

            bias[c] = -0.5 * DenseMath.Dot(mean, column);
        }

        if (weights.Any(w => !double.IsFinite(w)))
        {
            throw new EdgeRuntimeException(string.Create(CultureInfo.InvariantCulture, $"The discriminant fit is not finite at shrinkage {alpha}."));
        }

        return new DiscriminantFit(weights, bias, d, k, alpha);
    }
}
