namespace EdgeRuntime.Tests.FewShot;

/// <summary>
/// Independent float64 references of the few-shot maths, written from the formulas (not from the engine's code):
/// the transforms, the shrunk pooled covariance with the OAS intensity, and the discriminant's weights by
/// Gauss–Jordan inversion.
/// </summary>
internal static class FewShotReference
{
    public static double[] Power(double[] x) => [.. x.Select(v => Math.Sign(v) * Math.Sqrt(Math.Abs(v)))];

    public static double[] Unit(double[] x)
    {
        var norm = Math.Sqrt(x.Sum(v => v * v));
        return [.. x.Select(v => v / Math.Max(norm, 1e-12))];
    }

    /// <summary>The transform of one row given the reference mean (null for kinds without centring).</summary>
    public static double[] Transform(string kind, double[] x, double[]? mean) => kind switch
    {
        "None" => x,
        "L2" => Unit(x),
        "CenteredL2" => Unit([.. Unit(x).Zip(mean!, (a, m) => a - m)]),
        "PowerCenteredL2" => Unit([.. Unit(Power(x)).Zip(mean!, (a, m) => a - m)]),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Mean of the pre-centring rows (power and L2 for PowerCenteredL2, L2 for CenteredL2).</summary>
    public static double[] ReferenceMean(string kind, double[][] rows)
    {
        var prepared = rows.Select(r => kind == "PowerCenteredL2" ? Unit(Power(r)) : Unit(r)).ToArray();
        return [.. Enumerable.Range(0, rows[0].Length).Select(j => prepared.Average(p => p[j]))];
    }

    /// <summary>LDA with Σ = (1−α)S + α(tr S/D)I, α = OAS unless given; uniform priors; returns W (D×K) and b.</summary>
    public static (double[,] W, double[] B, double Alpha) Discriminant(double[][] f, int[] y, int k, double? fixedAlpha)
    {
        int n = f.Length, d = f[0].Length;
        var means = new double[k][];
        var counts = new int[k];
        for (var c = 0; c < k; c++)
        {
            var members = Enumerable.Range(0, n).Where(i => y[i] == c).ToArray();
            counts[c] = members.Length;
            means[c] = [.. Enumerable.Range(0, d).Select(j => members.Average(i => f[i][j]))];
        }

        var s = new double[d, d];
        for (var i = 0; i < n; i++)
        {
            for (var a = 0; a < d; a++)
            {
                for (var b = 0; b < d; b++)
                {
                    s[a, b] += (f[i][a] - means[y[i]][a]) * (f[i][b] - means[y[i]][b]) / (n - k);
                }
            }
        }

        double trace = 0, fro = 0;
        for (var a = 0; a < d; a++)
        {
            trace += s[a, a];
            for (var b = 0; b < d; b++)
            {
                fro += s[a, b] * s[a, b];
            }
        }

        var mu = trace / d;
        var alphaBar = fro / (d * d);
        var alpha = fixedAlpha ?? Math.Min(1, (alphaBar + (mu * mu)) / ((n + 1) * (alphaBar - (mu * mu / d))));
        var sigma = new double[d, d];
        for (var a = 0; a < d; a++)
        {
            for (var b = 0; b < d; b++)
            {
                sigma[a, b] = ((1 - alpha) * s[a, b]) + (a == b ? alpha * mu : 0);
            }
        }

        var inverse = Invert(sigma);
        var w = new double[d, k];
        var bias = new double[k];
        for (var c = 0; c < k; c++)
        {
            for (var a = 0; a < d; a++)
            {
                for (var b = 0; b < d; b++)
                {
                    w[a, c] += inverse[a, b] * means[c][b];
                }
            }

            for (var a = 0; a < d; a++)
            {
                bias[c] -= 0.5 * means[c][a] * w[a, c];
            }
        }

        return (w, bias, alpha);
    }

    public static double[] Softmax(double[] logits)
    {
        var max = logits.Max();
        var e = logits.Select(v => Math.Exp(v - max)).ToArray();
        var sum = e.Sum();
        return [.. e.Select(v => v / sum)];
    }

    private static double[,] Invert(double[,] m)
    {
        var d = m.GetLength(0);
        var a = (double[,])m.Clone();
        var inv = new double[d, d];
        for (var i = 0; i < d; i++)
        {
            inv[i, i] = 1;
        }

        for (var col = 0; col < d; col++)
        {
            var pivotRow = Enumerable.Range(col, d - col).MaxBy(r => Math.Abs(a[r, col]));
            for (var j = 0; j < d; j++)
            {
                (a[col, j], a[pivotRow, j]) = (a[pivotRow, j], a[col, j]);
                (inv[col, j], inv[pivotRow, j]) = (inv[pivotRow, j], inv[col, j]);
            }

            var p = a[col, col];
            for (var j = 0; j < d; j++)
            {
                a[col, j] /= p;
                inv[col, j] /= p;
            }

            for (var r = 0; r < d; r++)
            {
                if (r == col)
                {
                    continue;
                }

                var factor = a[r, col];
                for (var j = 0; j < d; j++)
                {
                    a[r, j] -= factor * a[col, j];
                    inv[r, j] -= factor * inv[col, j];
                }
            }
        }

        return inv;
    }
}
