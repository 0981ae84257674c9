using System.Numerics;
using System.Runtime.InteropServices;

namespace EdgeRuntime.Novelty;

/// <summary>The few dense kernels novelty and drift need, vectorised; per-frame work is a handful of these.</summary>
internal static class VectorMath
{
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = Vector<float>.Zero;
        int i = 0;
        var va = MemoryMarshal.Cast<float, Vector<float>>(a);
        var vb = MemoryMarshal.Cast<float, Vector<float>>(b[..a.Length]);
        for (int v = 0; v < va.Length; v++)
        {
            sum += va[v] * vb[v];
        }

        i = va.Length * Vector<float>.Count;
        float total = Vector.Sum(sum);
        for (; i < a.Length; i++)
        {
            total += a[i] * b[i];
        }

        return total;
    }

    /// <summary>y = M·x for a row-major rows×x.Length matrix.</summary>
    public static void MultiplyRows(ReadOnlySpan<float> matrix, ReadOnlySpan<float> x, Span<float> y)
    {
        int columns = x.Length;
        for (int r = 0; r < y.Length; r++)
        {
            y[r] = Dot(matrix.Slice(r * columns, columns), x);
        }
    }
}
