namespace EdgeRuntime.Storage;

/// <summary>
/// The write seam of the data directory (head files, the activation log, sample images), so tests can simulate a
/// full or failing disk. Reads, renames and deletes go straight to <see cref="System.IO"/>: only writes can run out
/// of space.
/// </summary>
public interface IFileSystem
{
    /// <summary>Creates a new file (failing if it exists); <see cref="Stream.Flush()"/> on it must make the bytes durable.</summary>
    Stream CreateNew(string path);

    /// <summary>Makes the directory's entries (files created or renamed in it) durable.</summary>
    void SyncDirectory(string path);
}
