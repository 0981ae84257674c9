namespace EdgeRuntime.Heads;

/// <summary>
/// The registry's write seam, so tests can simulate a full or failing disk. Reads, renames and deletes go straight to
/// <see cref="System.IO"/>: only writes can run out of space.
/// </summary>
public interface IHeadFileSystem
{
    /// <summary>Creates a new file (failing if it exists); <see cref="Stream.Flush"/> on it must make the bytes durable.</summary>
    Stream CreateNew(string path);

    /// <summary>Makes the directory's entries (files created or renamed in it) durable.</summary>
    void SyncDirectory(string path);
}
