namespace EdgeRuntime.Storage;

/// <summary>The real file system: files are fsynced on flush, directories fsynced explicitly.</summary>
public sealed class DiskFileSystem : IFileSystem
{
    /// <summary>The shared instance.</summary>
    public static DiskFileSystem Instance { get; } = new();

    /// <inheritdoc/>
    public Stream CreateNew(string path) => new DurableFileStream(path);

    /// <inheritdoc/>
    public void SyncDirectory(string path) => PosixFile.FlushDirectory(path);
}
