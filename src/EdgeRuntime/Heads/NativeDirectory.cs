using System.Runtime.InteropServices;

namespace EdgeRuntime.Heads;

/// <summary>fsync of a directory, which .NET does not offer: without it a rename can be lost on power failure.</summary>
internal static partial class NativeDirectory
{
    // O_RDONLY; O_DIRECTORY is left out because its value differs between x64 and arm64 (Jetson) and is not needed.
    private const int ReadOnly = 0;

    public static void Sync(string path)
    {
        // Windows flushes directory metadata with the files; there is no directory handle to flush.
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        int fd = Open(path, ReadOnly);
        if (fd < 0)
        {
            throw new IOException($"Could not open directory '{path}' to sync it: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        try
        {
            if (FSync(fd) != 0)
            {
                throw new IOException($"Could not sync directory '{path}': {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
