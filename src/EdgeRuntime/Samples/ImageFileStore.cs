using EdgeRuntime.Storage;

namespace EdgeRuntime.Samples;

/// <summary>
/// Content-addressed image files: <c>images/ab/abcdef….jpg</c>. A file only ever appears under its final name
/// complete and on stable storage: bytes go to a temp file in the same directory, are fsync'd, renamed into place,
/// and the directory is fsync'd so the rename itself survives power loss. Callers insert the row afterwards.
/// </summary>
internal sealed class ImageFileStore
{
    public const string TempSuffix = ".tmp";

    public ImageFileStore(string root)
    {
        Root = root;
    }

    public string Root { get; }

    public string PathFor(string hash, ImageFormat format) =>
        Path.Combine(Root, hash[..2], hash + "." + ImageFormats.Extension(format));

    /// <summary>Writes and fsyncs a temp file next to the final name; returns its path. First half of <see cref="Write"/>.</summary>
    public string Stage(string hash, ReadOnlySpan<byte> bytes)
    {
        var shard = Path.Combine(Root, hash[..2]);
        if (!Directory.Exists(shard))
        {
            Directory.CreateDirectory(shard);
            PosixFile.FlushDirectory(Root);
        }

        var temp = Path.Combine(shard, "." + hash + "." + Guid.NewGuid().ToString("N") + TempSuffix);
        try
        {
            using var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }

        return temp;
    }

    /// <summary>Renames a staged file into place and makes the rename durable. Second half of <see cref="Write"/>.</summary>
    public void Publish(string tempPath, string hash, ImageFormat format)
    {
        var final = PathFor(hash, format);

        // Same name means same bytes, so replacing an existing file (e.g. an orphan) is harmless and atomic.
        File.Move(tempPath, final, overwrite: true);
        PosixFile.FlushDirectory(Path.GetDirectoryName(final)!);
    }

    public void Write(string hash, ImageFormat format, ReadOnlySpan<byte> bytes)
    {
        var temp = Stage(hash, bytes);
        try
        {
            Publish(temp, hash, format);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Deletes temp files left by interrupted writes. Only called before the store serves anyone.</summary>
    public int DeleteTempFiles()
    {
        if (!Directory.Exists(Root))
        {
            return 0;
        }

        var deleted = 0;
        foreach (var file in Directory.EnumerateFiles(Root, "*" + TempSuffix, SearchOption.AllDirectories))
        {
            File.Delete(file);
            deleted++;
        }

        return deleted;
    }

    /// <summary>Every file named like a stored image: (path, hash, format).</summary>
    public IEnumerable<(string Path, string Hash, ImageFormat Format)> EnumerateImages()
    {
        if (!Directory.Exists(Root))
        {
            yield break;
        }

        foreach (var file in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories))
        {
            var name = Path.GetFileName(file);
            var dot = name.IndexOf('.', StringComparison.Ordinal);
            if (dot != ContentHash.HexLength)
            {
                continue;
            }

            var hash = name[..dot];
            if (ContentHash.IsWellFormed(hash) && ImageFormats.TryParseExtension(name[(dot + 1)..], out var format)
                && string.Equals(PathFor(hash, format), file, StringComparison.Ordinal))
            {
                yield return (file, hash, format);
            }
        }
    }

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
