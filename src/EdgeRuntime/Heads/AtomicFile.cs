namespace EdgeRuntime.Heads;

/// <summary>Durable writes through the seam: new files, and whole-file replacement by temp-file-and-rename.</summary>
internal static class AtomicFile
{
    /// <summary>Marks temp files and directories; anything carrying it at open is the leftover of an interrupted write.</summary>
    public const string TempMarker = ".tmp-";

    public static void WriteNew(IHeadFileSystem fileSystem, string path, ReadOnlySpan<byte> content)
    {
        using var stream = fileSystem.CreateNew(path);
        stream.Write(content);
        stream.Flush();
    }

    /// <summary>Replaces <paramref name="path"/> so a reader sees either the old or the new content, never a mix.</summary>
    public static void Replace(IHeadFileSystem fileSystem, string path, ReadOnlySpan<byte> content)
    {
        string temp = path + TempMarker + Guid.NewGuid().ToString("N");
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

        fileSystem.SyncDirectory(Path.GetDirectoryName(path)!);
    }

    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Cleaned at the next open instead.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
