namespace EdgeRuntime.Interop;

/// <summary>
/// Lowers the calling thread's Linux scheduling priority (nice). .NET's Thread.Priority is ignored on Linux; threads
/// that ONNX Runtime creates from a niced thread inherit its nice value, so a training session created on this thread
/// runs entirely below the inference loop.
/// </summary>
public static class LinuxThreadPriority
{
    /// <summary>The nice value of background work (training, quantization): below capture, far below inference.</summary>
    public const int BackgroundNice = 10;

    private const int PrioProcess = 0;

    [ThreadStatic]
    private static bool t_lowered;

    /// <summary>True on a thread this class lowered (it must not queue thread-pool work: see <see cref="PoolWork"/>).</summary>
    public static bool IsCurrentThreadLowered => t_lowered;

    /// <returns>False when the kernel refused (the caller continues at normal priority).</returns>
    public static bool TryLowerCurrentThread(int nice)
    {
        try
        {
            var lowered = Libc.SetPriority(PrioProcess, Libc.GetTid(), nice) == 0;
            t_lowered |= lowered && nice > 0;
            return lowered;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
    }
}
