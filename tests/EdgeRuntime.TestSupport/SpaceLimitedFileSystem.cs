using EdgeRuntime.Storage;

namespace EdgeRuntime.TestSupport;

/// <summary>
/// The real file system with a byte budget shared by all files it creates: a write past the budget stores what fits
/// and then throws IOException("No space left on device"), as a full disk does.
/// </summary>
public sealed class SpaceLimitedFileSystem(long freeBytes, IFileSystem? inner = null) : IFileSystem
{
    private readonly IFileSystem _inner = inner ?? DiskFileSystem.Instance;
    private readonly Lock _sync = new();
    private long _freeBytes = freeBytes;

    /// <summary>Bytes that can still be written; set it to simulate the disk filling up or being cleaned.</summary>
    public long FreeBytes
    {
        get
        {
            lock (_sync)
            {
                return _freeBytes;
            }
        }

        set
        {
            lock (_sync)
            {
                _freeBytes = value;
            }
        }
    }

    public Stream CreateNew(string path) => new SpaceLimitedStream(_inner.CreateNew(path), this);

    public void SyncDirectory(string path) => _inner.SyncDirectory(path);

    /// <summary>Takes up to <paramref name="wanted"/> bytes of the budget and returns how many were granted.</summary>
    internal int Take(int wanted)
    {
        lock (_sync)
        {
            int granted = (int)Math.Min(wanted, _freeBytes);
            _freeBytes -= granted;
            return granted;
        }
    }
}
