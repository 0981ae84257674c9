namespace EdgeRuntime.Heads;

/// <summary>The real file system: files are fsynced on flush, directories fsynced explicitly.</summary>
public sealed class DiskHeadFileSystem : IHeadFileSystem
{
    /// <summary>The shared instance.</summary>
    public static DiskHeadFileSystem Instance { get; } = new();

    /// <inheritdoc/>
    public Stream CreateNew(string path) => new DurableFileStream(path);

    /// <inheritdoc/>
    public void SyncDirectory(string path) => NativeDirectory.Sync(path);
}
