using System.Diagnostics;

namespace EdgeRuntime.Benchmarks;

/// <summary>Median wall time of repeated runs after a warm-up, and process memory figures.</summary>
internal static class Measure
{
    public static double MedianMilliseconds(Action action, int warmup, int runs)
    {
        for (int i = 0; i < warmup; i++)
        {
            action();
        }

        var samples = new double[runs];
        for (int i = 0; i < runs; i++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(samples);
        return samples[runs / 2];
    }

    /// <summary>Managed bytes this thread allocates per call, averaged over many calls.</summary>
    public static double AllocatedBytesPerCall(Action action, int calls)
    {
        action();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < calls; i++)
        {
            action();
        }

        return (double)(GC.GetAllocatedBytesForCurrentThread() - before) / calls;
    }

    public static double ResidentMegabytes()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64 / (1024.0 * 1024.0);
    }
}
