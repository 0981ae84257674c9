namespace EdgeRuntime.Interop;

/// <summary>
/// Makes glibc hand large freed buffers back to the kernel. Without it, glibc raises its mmap threshold after the
/// first large free, so every inference's activation buffers land in per-thread arenas that never shrink: about
/// 200 MB of resident memory on ResNet-18 that a small device cannot spare (measured: 590 MB to 385 MB).
/// </summary>
public static class GlibcMalloc
{
    private const int TrimThreshold = -1;
    private const int MmapThreshold = -3;

    /// <summary>Call once at start-up, before native libraries allocate. Returns false where glibc is not in use.</summary>
    public static bool ReturnLargeBuffersToSystem(int bytes = 128 * 1024)
    {
        try
        {
            return Libc.MallOpt(MmapThreshold, bytes) == 1 && Libc.MallOpt(TrimThreshold, bytes) == 1;
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
