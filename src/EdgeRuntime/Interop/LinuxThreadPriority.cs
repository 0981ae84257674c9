namespace EdgeRuntime.Interop;

/// <summary>
/// Lowers the calling thread's Linux scheduling priority (nice). .NET's Thread.Priority is ignored on Linux; threads
/// that ONNX Runtime creates from a niced thread inherit its nice value, so a training session created on this thread
/// runs entirely below the inference loop.
/// </summary>
public static class LinuxThreadPriority
{
    private const int PrioProcess = 0;

    /// <returns>False when the kernel refused (the caller continues at normal priority).</returns>
    public static bool TryLowerCurrentThread(int nice)
    {
        try
        {
            return Libc.SetPriority(PrioProcess, Libc.GetTid(), nice) == 0;
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
