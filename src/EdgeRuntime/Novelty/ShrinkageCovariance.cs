namespace EdgeRuntime.Novelty;

/// <summary>
/// The covariance of within-class residuals shared by every class, shrunk towards a scaled identity by the
/// Ledoit-Wolf (2004) rule: with a few hundred samples of 512 values the sample covariance is singular, and the
/// shrinkage picks the blend that minimises the expected error instead of a hand-set constant.
/// </summary>
internal static class ShrinkageCovariance
{
    /// <summary>
    /// Returns the whitening matrix P = L⁻¹ (lower triangular, row-major D×D) of Σ = L·Lᵀ, so that
    /// (x−μ)ᵀΣ⁻¹(x−μ) = ‖P(x−μ)‖², and the shrinkage weight used.
    /// </summary>
    /// <param name="residuals">Row-major within-class residuals (feature minus its class mean).</param>
    public static (float[] Whitening, double Shrinkage) Whitening(float[] residuals, int dimension)
    {
        int n = residuals.Length / dimension, d = dimension;
        if (n < 2)
        {
            throw new EdgeRuntimeException($"A shared covariance needs at least 2 samples, not {n}.");
        }

        var s = new double[d * d];
        for (int i = 0; i < n; i++)
        {
            var r = residuals.AsSpan(i * d, d);
            for (int a = 0; a < d; a++)
            {
                double ra = r[a];
                if (ra == 0)
                {
                    continue;
                }

                var row = s.AsSpan(a * d, d);
                for (int b = 0; b <= a; b++)
                {
                    row[b] += ra * r[b];
                }
            }
        }

        for (int a = 0; a < d; a++)
        {
            for (int b = 0; b <= a; b++)
            {
                s[(a * d) + b] /= n;
                s[(b * d) + a] = s[(a * d) + b];
            }
        }

        double trace = 0;
        for (int a = 0; a < d; a++)
        {
            trace += s[(a * d) + a];
        }

        double mu = Math.Max(trace / d, 1e-12);
        double delta = 0, sNorm = 0;
        for (int a = 0; a < d; a++)
        {
            for (int b = 0; b < d; b++)
            {
                double v = s[(a * d) + b];
                sNorm += v * v;
                double t = v - (a == b ? mu : 0);
                delta += t * t;
            }
        }

        // β = (1/n²) Σᵢ ‖rᵢrᵢᵀ − S‖²_F, with ‖rrᵀ − S‖² = ‖r‖⁴ − 2 rᵀSr + ‖S‖².
        double beta = 0;
        var sr = new double[d];
        for (int i = 0; i < n; i++)
        {
            var r = residuals.AsSpan(i * d, d);
            double rr = 0, rsr = 0;
            for (int a = 0; a < d; a++)
            {
                rr += (double)r[a] * r[a];
                double acc = 0;
                var row = s.AsSpan(a * d, d);
                for (int b = 0; b < d; b++)
                {
                    acc += row[b] * r[b];
                }

                sr[a] = acc;
                rsr += acc * r[a];
            }

            beta += (rr * rr) - (2 * rsr) + sNorm;
        }

        beta /= (double)n * n;
        double shrinkage = delta <= 0 ? 1 : Math.Clamp(Math.Min(beta, delta) / delta, 0, 1);

        // A floor on the identity share keeps Σ well conditioned even when Ledoit-Wolf trusts the samples fully.
        shrinkage = Math.Max(shrinkage, 1e-3);
        for (int a = 0; a < d; a++)
        {
            for (int b = 0; b < d; b++)
            {
                s[(a * d) + b] *= 1 - shrinkage;
            }

            s[(a * d) + a] += shrinkage * mu;
        }

        return (InvertLower(Cholesky(s, d), d), shrinkage);
    }

    private static double[] Cholesky(double[] a, int d)
    {
        var l = new double[d * d];
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double sum = a[(i * d) + j];
                for (int k = 0; k < j; k++)
                {
                    sum -= l[(i * d) + k] * l[(j * d) + k];
                }

                if (i == j)
                {
                    if (sum <= 0)
                    {
                        throw new EdgeRuntimeException("The shared covariance is not positive definite; the samples are degenerate.");
                    }

                    l[(i * d) + i] = Math.Sqrt(sum);
                }
                else
                {
                    l[(i * d) + j] = sum / l[(j * d) + j];
                }
            }
        }

        return l;
    }

    private static float[] InvertLower(double[] l, int d)
    {
        var inv = new double[d * d];
        for (int col = 0; col < d; col++)
        {
            // Forward substitution of L·x = e_col; x is column col of L⁻¹ (zero above the diagonal).
            inv[(col * d) + col] = 1 / l[(col * d) + col];
            for (int i = col + 1; i < d; i++)
            {
                double sum = 0;
                for (int k = col; k < i; k++)
                {
                    sum -= l[(i * d) + k] * inv[(k * d) + col];
                }

                inv[(i * d) + col] = sum / l[(i * d) + i];
            }
        }

        return [.. inv.Select(v => (float)v)];
    }
}
