namespace EdgeRuntime.Storage;

/// <summary>Another process holds the data directory's lock, so this one must not write there.</summary>
public sealed class DataDirectoryLockedException : EdgeRuntimeException
{
    /// <inheritdoc/>
    public override FaultKind Fault => FaultKind.Conflict;

    public DataDirectoryLockedException(string dataDirectory, int? holderProcessId, Exception innerException)
        : base(Describe(dataDirectory, holderProcessId), innerException)
    {
        DataDirectory = dataDirectory;
        HolderProcessId = holderProcessId;
    }

    /// <summary>The locked data directory (full path).</summary>
    public string DataDirectory { get; }

    /// <summary>The PID recorded in the lock file by the holder, when it could be read.</summary>
    public int? HolderProcessId { get; }

    private static string Describe(string dataDirectory, int? pid)
    {
        var holder = pid is { } p
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"process {p}")
            : "another process (its PID is not recorded)";
        return $"The data directory '{dataDirectory}' is locked by {holder}; only one EdgeRuntime process may write it at a time. Stop that process or use another data directory.";
    }
}
