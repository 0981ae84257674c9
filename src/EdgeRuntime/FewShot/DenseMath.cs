using System.Numerics;
using EdgeRuntime.Interop;

namespace EdgeRuntime.FewShot;

/// <summary>
/// The float64 linear algebra the closed-form heads need (dot products, Gram matrices, Cholesky), vectorised with
/// <see cref="Vector{T}"/>. Matrices are row-major.
/// </summary>
internal static class DenseMath
{
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var n = Math.Min(a.Length, b.Length);
        var width = Vector<double>.Count;
        var acc = Vector<double>.Zero;
        var i = 0;
        for (; i <= n - width; i += width)
        {
            acc += new Vector<double>(a.Slice(i, width)) * new Vector<double>(b.Slice(i, width));
        }

        var sum = Vector.Sum(acc);
        for (; i < n; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    /// <summary>Adds Σ rowᵀ·row over the <paramref name="rows"/> (count × d) to the symmetric <paramref name="gram"/> (d × d).</summary>
    public static void AddGram(ReadOnlySpan<double> rows, int count, int d, double[] gram)
    {
        // Columns as contiguous rows, so each entry is one vectorised dot product.
        var columns = new double[d * count];
        for (var n = 0; n < count; n++)
        {
            for (var j = 0; j < d; j++)
            {
                columns[(j * count) + n] = rows[(n * d) + j];
            }
        }

        PoolWork.For(0, d, i =>
        {
            var ci = columns.AsSpan(i * count, count);
            for (var j = i; j < d; j++)
            {
                var v = Dot(ci, columns.AsSpan(j * count, count));
                gram[(i * d) + j] += v;
                if (j != i)
                {
                    gram[(j * d) + i] += v;
                }
            }
        });
    }

    /// <summary>In-place Cholesky factor A = L·Lᵀ (lower triangle of <paramref name="a"/> becomes L).</summary>
    /// <exception cref="EdgeRuntimeException">A is not positive definite.</exception>
    public static void Cholesky(double[] a, int d)
    {
        for (var j = 0; j < d; j++)
        {
            var rowJ = a.AsSpan(j * d, j);
            var diagonal = a[(j * d) + j] - Dot(rowJ, rowJ);
            if (!(diagonal > 0))
            {
                throw new EdgeRuntimeException("The shrunk covariance is not positive definite; use a larger shrinkage.");
            }

            var pivot = Math.Sqrt(diagonal);
            a[(j * d) + j] = pivot;
            for (var i = j + 1; i < d; i++)
            {
                a[(i * d) + j] = (a[(i * d) + j] - Dot(a.AsSpan(i * d, j), rowJ)) / pivot;
            }
        }
    }

    /// <summary>Solves L·Lᵀ·x = b in place for a Cholesky factor from <see cref="Cholesky"/>.</summary>
    public static void CholeskySolve(double[] l, int d, Span<double> b)
    {
        for (var i = 0; i < d; i++)
        {
            b[i] = (b[i] - Dot(l.AsSpan(i * d, i), b[..i])) / l[(i * d) + i];
        }

        for (var i = d - 1; i >= 0; i--)
        {
            var sum = b[i];
            for (var k = i + 1; k < d; k++)
            {
                sum -= l[(k * d) + i] * b[k];
            }

            b[i] = sum / l[(i * d) + i];
        }
    }
}
