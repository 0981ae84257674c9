namespace EdgeRuntime.Storage;

/// <summary>
/// The one write-temp-then-rename helper: durable new files, whole-file replacement, and create-once files. A file
/// only ever appears under its final name complete and on stable storage.
/// </summary>
public static class AtomicFile
{
    /// <summary>Marks temp files and directories; anything carrying it at open is the leftover of an interrupted write.</summary>
    public const string TempMarker = ".tmp-";

    /// <summary>Writes a new file through the seam and makes its bytes durable (not its directory entry).</summary>
    public static void WriteNew(IFileSystem fileSystem, string path, ReadOnlySpan<byte> content)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        using var stream = fileSystem.CreateNew(path);
        stream.Write(content);
        stream.Flush();
    }

    /// <summary>
    /// Replaces (or creates) <paramref name="path"/> so a reader sees either the old or the new content, never a mix,
    /// and the rename survives power loss.
    /// </summary>
    public static void Replace(IFileSystem fileSystem, string path, ReadOnlySpan<byte> content)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        string temp = TempPath(path);
        try
        {
            WriteNew(fileSystem, temp, content);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }

        fileSystem.SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>As <see cref="Replace(IFileSystem, string, ReadOnlySpan{byte})"/>, for content written as a stream (exports, large files).</summary>
    public static void Replace(IFileSystem fileSystem, string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        ArgumentNullException.ThrowIfNull(write);
        string temp = TempPath(path);
        try
        {
            using (var stream = fileSystem.CreateNew(temp))
            {
                write(stream);
                stream.Flush();
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }

        fileSystem.SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>
    /// Creates <paramref name="path"/> with <paramref name="content"/> and <paramref name="mode"/> unless it exists; a
    /// crash leaves either no file or the complete one, never an empty one. False when another writer got there first.
    /// </summary>
    public static bool CreateOnce(string path, ReadOnlySpan<byte> content, UnixFileMode mode)
    {
        string temp = TempPath(path);
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = mode;
            }

            using (var stream = new FileStream(temp, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            try
            {
                File.Move(temp, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                return false;
            }

            PosixFile.FlushDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            return true;
        }
        finally
        {
            TryDelete(temp);
        }
    }

    /// <summary>A unique temp name next to <paramref name="path"/> (same directory, so the rename is atomic).</summary>
    public static string TempPath(string path) => path + TempMarker + Guid.NewGuid().ToString("N");

    /// <summary>Deletes a file if it can; a leftover is cleaned at the next open instead.</summary>
    public static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
