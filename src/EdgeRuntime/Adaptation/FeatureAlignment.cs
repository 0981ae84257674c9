namespace EdgeRuntime.Adaptation;

/// <summary>
/// An affine map of raw embeddings from a new camera onto the calibration data, x ↦ x·A + c: re-centring
/// (A = I, c = m_source − m_target) or CORAL (Sun et al. 2016: A = C_t^−½·C_s^½ aligns covariances too).
/// Folded into a head's first layer it costs nothing per frame. Immutable.
/// </summary>
public sealed class FeatureAlignment
{
    private FeatureAlignment(int dimension, float[]? matrix, float[] offset)
    {
        Dimension = dimension;
        Matrix = matrix;
        Offset = offset;
    }

    public int Dimension { get; }

    /// <summary>A (row-major D×D), or null for the identity.</summary>
    internal float[]? Matrix { get; }

    /// <summary>c (D).</summary>
    internal float[] Offset { get; }

    public bool IsCoral => Matrix is not null;

    /// <summary>Re-centring: x ↦ x + (m_source − m_target).</summary>
    public static FeatureAlignment Recentre(float[] sourceMean, float[] targetMean)
    {
        ArgumentNullException.ThrowIfNull(sourceMean);
        ArgumentNullException.ThrowIfNull(targetMean);
        return new FeatureAlignment(sourceMean.Length, null, [.. sourceMean.Select((m, j) => m - targetMean[j])]);
    }

    /// <summary>CORAL on row-major source and target embeddings; both covariances get a ridge of their mean variance.</summary>
    public static FeatureAlignment Coral(float[] source, float[] target, int dimension)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        var (ms, sourceRoot) = CovariancePower(source, dimension, 0.5);
        var (mt, targetInverseRoot) = CovariancePower(target, dimension, -0.5);
        var a = Multiply(targetInverseRoot, sourceRoot, dimension);

        // x·A + c with c = m_s − m_t·A, so the target mean lands on the source mean.
        var offset = new float[dimension];
        for (int j = 0; j < dimension; j++)
        {
            double sum = 0;
            for (int i = 0; i < dimension; i++)
            {
                sum += mt[i] * a[(i * dimension) + j];
            }

            offset[j] = (float)(ms[j] - sum);
        }

        return new FeatureAlignment(dimension, [.. a.Select(v => (float)v)], offset);
    }

    /// <summary>Mean of row-major embeddings.</summary>
    public static float[] Mean(ReadOnlySpan<float> embeddings, int dimension)
    {
        var sum = new double[dimension];
        int rows = embeddings.Length / dimension;
        for (int n = 0; n < rows; n++)
        {
            for (int j = 0; j < dimension; j++)
            {
                sum[j] += embeddings[(n * dimension) + j];
            }
        }

        return [.. sum.Select(s => (float)(s / Math.Max(rows, 1)))];
    }

    /// <summary>Applies the map to row-major embeddings.</summary>
    public float[] Apply(ReadOnlySpan<float> embeddings)
    {
        int d = Dimension, rows = embeddings.Length / d;
        var result = new float[embeddings.Length];
        for (int n = 0; n < rows; n++)
        {
            var x = embeddings.Slice(n * d, d);
            for (int j = 0; j < d; j++)
            {
                double v = Offset[j];
                if (Matrix is null)
                {
                    v += x[j];
                }
                else
                {
                    for (int i = 0; i < d; i++)
                    {
                        v += x[i] * Matrix[(i * d) + j];
                    }
                }

                result[(n * d) + j] = (float)v;
            }
        }

        return result;
    }

    /// <summary>
    /// First-layer weights W (D×H row-major, taking x/scale) and bias b folded with the map, taking raw x:
    /// W' = A·W / scale, b' = b + (c / scale)·W.
    /// </summary>
    public (float[] Weights, float[] Bias) Fold(float[] weights, float[] bias, float scale)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(bias);
        int d = Dimension, h = bias.Length;
        var folded = new float[weights.Length];
        var shifted = new float[h];
        for (int k = 0; k < h; k++)
        {
            double b = bias[k];
            for (int j = 0; j < d; j++)
            {
                b += Offset[j] / scale * weights[(j * h) + k];
            }

            shifted[k] = (float)b;
        }

        for (int i = 0; i < d; i++)
        {
            for (int k = 0; k < h; k++)
            {
                double w = 0;
                if (Matrix is null)
                {
                    w = weights[(i * h) + k];
                }
                else
                {
                    for (int j = 0; j < d; j++)
                    {
                        w += Matrix[(i * d) + j] * weights[(j * h) + k];
                    }
                }

                folded[(i * h) + k] = (float)(w / scale);
            }
        }

        return (folded, shifted);
    }

    /// <summary>At most this many rows estimate a covariance: the eigenproblem is solved on their n×n Gram matrix.</summary>
    public const int MaximumCovarianceRows = 256;

    /// <summary>
    /// (S + r·I)^p of the rows' covariance S with the CORAL ridge r = mean variance, through the eigenvectors of the
    /// n×n Gram matrix: with n ≪ D that is the whole spectrum (S has rank below n), at a fraction of a D×D solve.
    /// </summary>
    private static (double[] Mean, double[] Power) CovariancePower(float[] x, int d, double power)
    {
        int all = x.Length / d, step = Math.Max(1, (int)Math.Ceiling(all / (double)MaximumCovarianceRows));
        var rows = Enumerable.Range(0, all).Where(r => r % step == 0).ToArray();
        int n = rows.Length;
        var mean = new double[d];
        foreach (var r in rows)
        {
            for (int j = 0; j < d; j++)
            {
                mean[j] += x[(r * d) + j] / (double)n;
            }
        }

        var centred = new double[n * d];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
            {
                centred[(i * d) + j] = (x[(rows[i] * d) + j] - mean[j]) / Math.Sqrt(Math.Max(n - 1, 1));
            }
        }

        var gram = new double[n * n];
        double trace = 0;
        for (int a = 0; a < n; a++)
        {
            for (int b = a; b < n; b++)
            {
                double sum = 0;
                for (int j = 0; j < d; j++)
                {
                    sum += centred[(a * d) + j] * centred[(b * d) + j];
                }

                gram[(a * n) + b] = gram[(b * n) + a] = sum;
            }

            trace += gram[(a * n) + a];
        }

        // A few hundred frames of 512 values give a singular covariance; the ridge of CORAL's paper keeps it invertible.
        double ridge = Math.Max(trace / d, 1e-6);
        var (values, vectors) = Eigen(gram, n);
        var result = new double[d * d];
        double basePower = Math.Pow(ridge, power);
        for (int i = 0; i < d; i++)
        {
            result[(i * d) + i] = basePower;
        }

        var u = new double[d];
        for (int k = 0; k < n; k++)
        {
            if (values[k] <= 1e-12 * Math.Max(trace, 1e-12))
            {
                continue;
            }

            // Eigenvector of S: Xᵀv / √λ.
            Array.Clear(u);
            for (int i = 0; i < n; i++)
            {
                double vik = vectors[(i * n) + k];
                for (int j = 0; j < d; j++)
                {
                    u[j] += centred[(i * d) + j] * vik;
                }
            }

            double scale = 1 / Math.Sqrt(values[k]);
            double weight = Math.Pow(values[k] + ridge, power) - basePower;
            for (int i = 0; i < d; i++)
            {
                double ui = u[i] * scale * weight * scale;
                for (int j = 0; j < d; j++)
                {
                    result[(i * d) + j] += ui * u[j];
                }
            }
        }

        return (mean, result);
    }

    /// <summary>Eigenvalues and eigenvectors (columns, row-major) of a symmetric matrix by cyclic Jacobi rotations.</summary>
    private static (double[] Values, double[] Vectors) Eigen(double[] matrix, int d)
    {
        var a = (double[])matrix.Clone();
        var v = new double[d * d];
        for (int i = 0; i < d; i++)
        {
            v[(i * d) + i] = 1;
        }

        for (int sweep = 0; sweep < 30; sweep++)
        {
            double off = 0, diag = 0;
            for (int p = 0; p < d; p++)
            {
                diag += a[(p * d) + p] * a[(p * d) + p];
                for (int q = p + 1; q < d; q++)
                {
                    off += a[(p * d) + q] * a[(p * d) + q];
                }
            }

            if (off < 1e-22 * diag)
            {
                break;
            }

            for (int p = 0; p < d - 1; p++)
            {
                for (int q = p + 1; q < d; q++)
                {
                    double apq = a[(p * d) + q];
                    if (Math.Abs(apq) < 1e-300)
                    {
                        continue;
                    }

                    double theta = (a[(q * d) + q] - a[(p * d) + p]) / (2 * apq);
                    double t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt((theta * theta) + 1));
                    t = theta == 0 ? 1 : t;
                    double c = 1 / Math.Sqrt((t * t) + 1), s = t * c;
                    for (int k = 0; k < d; k++)
                    {
                        double akp = a[(k * d) + p], akq = a[(k * d) + q];
                        a[(k * d) + p] = (c * akp) - (s * akq);
                        a[(k * d) + q] = (s * akp) + (c * akq);
                    }

                    for (int k = 0; k < d; k++)
                    {
                        double apk = a[(p * d) + k], aqk = a[(q * d) + k];
                        a[(p * d) + k] = (c * apk) - (s * aqk);
                        a[(q * d) + k] = (s * apk) + (c * aqk);
                    }

                    for (int k = 0; k < d; k++)
                    {
                        double vkp = v[(k * d) + p], vkq = v[(k * d) + q];
                        v[(k * d) + p] = (c * vkp) - (s * vkq);
                        v[(k * d) + q] = (s * vkp) + (c * vkq);
                    }
                }
            }
        }

        var values = new double[d];
        for (int k = 0; k < d; k++)
        {
            values[k] = a[(k * d) + k];
        }

        return (values, v);
    }

    private static double[] Multiply(double[] a, double[] b, int d)
    {
        var result = new double[d * d];
        for (int i = 0; i < d; i++)
        {
            for (int k = 0; k < d; k++)
            {
                double aik = a[(i * d) + k];
                for (int j = 0; j < d; j++)
                {
                    result[(i * d) + j] += aik * b[(k * d) + j];
                }
            }
        }

        return result;
    }
}
