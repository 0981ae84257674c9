using System.Runtime.InteropServices;
using System.Text;

using EdgeRuntime.Interop;

namespace EdgeRuntime.Storage;

/// <summary>
/// The two file operations .NET does not offer on Unix: fsync of a directory (needed so a rename survives power loss)
/// and reading a file that another process holds under flock (every .NET open takes a shared flock, which an
/// exclusive holder refuses).
/// </summary>
internal static class PosixFile
{
    // O_RDONLY | O_CLOEXEC; O_CLOEXEC has the same value on x86-64 and aarch64 Linux. O_DIRECTORY is deliberately
    // not used because its value differs between those architectures, and O_RDONLY opens a directory just as well.
    private const int OpenReadOnlyCloseOnExec = 0x80000;

    /// <summary>Flushes a directory's entries (renames, creations, deletions) to stable storage. No-op off Linux.</summary>
    public static void FlushDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var fd = Libc.Open(directory, OpenReadOnlyCloseOnExec);
        if (fd < 0)
        {
            throw new IOException($"Could not open directory '{directory}' to flush it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Libc.Fsync(fd) != 0)
            {
                throw new IOException($"Could not flush directory '{directory}' (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Libc.Close(fd);
        }
    }

    /// <summary>Reads up to <paramref name="maxBytes"/> bytes as UTF-8 without taking any lock; null if unreadable.</summary>
    public static string? TryReadPrefixUnlocked(string path, int maxBytes)
    {
        if (!OperatingSystem.IsLinux())
        {
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                var managed = new byte[maxBytes];
                return Encoding.UTF8.GetString(managed, 0, stream.ReadAtLeast(managed, maxBytes, throwOnEndOfStream: false));
            }
            catch (IOException)
            {
                return null;
            }
            catch (UnauthorizedAccessException)
            {
                return null;
            }
        }

        var fd = Libc.Open(path, OpenReadOnlyCloseOnExec);
        if (fd < 0)
        {
            return null;
        }

        try
        {
            var buffer = new byte[maxBytes];
            var read = Libc.Read(fd, buffer, (nint)buffer.Length);
            return read < 0 ? null : Encoding.UTF8.GetString(buffer, 0, (int)read);
        }
        finally
        {
            _ = Libc.Close(fd);
        }
    }
}
