using EdgeRuntime.Storage;
using Microsoft.Extensions.Logging;

namespace EdgeRuntime.Heads;

/// <summary>Housekeeping of the <c>heads</c> directory: which version directories exist, and leftovers of interrupted writes.</summary>
internal sealed class HeadDirectory(string path, IFileSystem fileSystem, ILogger logger)
{
    /// <summary>Version numbers with a directory, ascending.</summary>
    public List<int> VersionNumbers() =>
        [.. Directory.EnumerateDirectories(path).Select(d => HeadFiles.ParseDirectoryName(Path.GetFileName(d))).OfType<int>().Order()];

    public string VersionPath(int version) => Path.Combine(path, HeadFiles.DirectoryName(version));

    /// <summary>Deletes temp files and directories: whatever carries the temp marker never completed its rename.</summary>
    public void RemoveLeftovers()
    {
        foreach (string entry in Directory.EnumerateFileSystemEntries(path))
        {
            if (Path.GetFileName(entry).Contains(AtomicFile.TempMarker, StringComparison.Ordinal))
            {
                logger.LogWarning("Removing {Path}, left by an interrupted write", entry);
                if (Directory.Exists(entry))
                {
                    Delete(entry);
                }
                else
                {
                    AtomicFile.TryDelete(entry);
                }
            }
        }
    }

    /// <summary>Syncs the directory after a rename that already happened; a failure only puts durability in doubt.</summary>
    public void SyncQuietly()
    {
        try
        {
            fileSystem.SyncDirectory(path);
        }
        catch (IOException ex)
        {
            logger.LogWarning("Could not sync {Directory}: {Reason}", path, ex.Message);
        }
    }

    /// <summary>Deletes a directory tree, logging instead of throwing: a leftover is removed at the next open.</summary>
    public void Delete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Could not delete {Path}; it is removed at the next open: {Reason}", directory, ex.Message);
        }
    }
}
