using System.Globalization;
using System.Text;

namespace EdgeRuntime.Storage;

/// <summary>
/// An exclusive advisory lock on <c>&lt;data&gt;/.lock</c>, held for the life of a process that writes the data
/// directory so two processes never write it at once. On Linux, <see cref="FileShare.None"/> makes .NET take
/// <c>flock(LOCK_EX | LOCK_NB)</c> on the descriptor, which other processes (including <c>flock(1)</c>) see; the
/// kernel drops it when the process dies, so a crash never leaves the directory locked. The holder's PID is written
/// into the file for the error message only; the lock itself is the flock, never the file's existence or content.
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    /// <summary>Name of the lock file inside the data directory.</summary>
    public const string FileName = ".lock";

    // Owns the descriptor that carries the flock: disposing it (or process death) releases the lock.
    private readonly FileStream _stream;

    private DataDirectoryLock(string dataDirectory, string lockFilePath, FileStream stream)
    {
        DataDirectory = dataDirectory;
        LockFilePath = lockFilePath;
        _stream = stream;
    }

    /// <summary>The locked data directory (full path).</summary>
    public string DataDirectory { get; }

    /// <summary>The lock file's full path.</summary>
    public string LockFilePath { get; }

    /// <summary>Takes the lock without waiting, creating the directory if needed.</summary>
    /// <exception cref="DataDirectoryLockedException">Another process (or another holder in this one) has it.</exception>
    public static DataDirectoryLock Acquire(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        var directory = Path.GetFullPath(dataDirectory);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);

        FileStream stream;
        try
        {
            // OpenOrCreate, not Create: truncating before the lock is ours would wipe the holder's PID.
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex) when (IsLockConflict(ex))
        {
            throw new DataDirectoryLockedException(directory, ReadHolderPid(path), ex);
        }

        try
        {
            stream.SetLength(0);
            var pid = Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
            stream.Write(pid);
            stream.Flush(flushToDisk: false);
        }
        catch
        {
            stream.Dispose();
            throw;
        }

        return new DataDirectoryLock(directory, path, stream);
    }

    /// <summary>Releases the lock. The file stays: deleting it would let a waiter lock an unlinked inode.</summary>
    public void Dispose() => _stream.Dispose();

    private static bool IsLockConflict(IOException ex)
    {
        if (ex is FileNotFoundException or DirectoryNotFoundException or PathTooLongException)
        {
            return false;
        }

        // Unix reports EWOULDBLOCK from flock as the errno in HResult (EAGAIN, 11 on Linux); Windows as a sharing
        // or lock violation.
        const int EWouldBlockLinux = 11;
        const int SharingViolation = unchecked((int)0x80070020);
        const int LockViolation = unchecked((int)0x80070021);
        return ex.HResult is EWouldBlockLinux or SharingViolation or LockViolation;
    }

    private static int? ReadHolderPid(string path)
    {
        var text = PosixFile.TryReadPrefixUnlocked(path, 32);
        return int.TryParse(text?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0 ? pid : null;
    }
}
