using EdgeRuntime.Imaging;
using EdgeRuntime.Storage;

namespace EdgeRuntime.Samples;

/// <summary>
/// Content-addressed image files: <c>images/ab/abcdef….jpg</c>, written through the data directory's file-system seam
/// with <see cref="AtomicFile"/>, so a file only ever appears under its final name complete and on stable storage.
/// Callers insert the row afterwards.
/// </summary>
internal sealed class ImageFileStore(string root, IFileSystem fileSystem)
{
    public string Root { get; } = root;

    public string PathFor(string hash, ImageFormat format) =>
        Path.Combine(Root, hash[..2], hash + "." + ImageFormats.Extension(format));

    public void Write(string hash, ImageFormat format, ReadOnlySpan<byte> bytes)
    {
        var shard = Path.Combine(Root, hash[..2]);
        if (!Directory.Exists(shard))
        {
            Directory.CreateDirectory(shard);
            fileSystem.SyncDirectory(Root);
        }

        // Same name means same bytes, so replacing an existing file (e.g. an orphan) is harmless.
        AtomicFile.Replace(fileSystem, PathFor(hash, format), bytes);
    }

    /// <summary>Deletes temp files left by interrupted writes. Only called before the store serves anyone.</summary>
    public int DeleteTempFiles()
    {
        if (!Directory.Exists(Root))
        {
            return 0;
        }

        var deleted = 0;
        foreach (var file in Directory.EnumerateFiles(Root, "*" + AtomicFile.TempMarker + "*", SearchOption.AllDirectories))
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
}
