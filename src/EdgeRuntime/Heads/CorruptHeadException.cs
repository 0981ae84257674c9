using System.Globalization;

namespace EdgeRuntime.Heads;

/// <summary>A stored head version cannot be used: a file is missing, truncated, altered, or its manifest does not parse.</summary>
public sealed class CorruptHeadException : EdgeRuntimeException
{
    /// <inheritdoc/>
    public override FaultKind Fault => FaultKind.Corrupt;

    /// <summary>Creates the error for <paramref name="version"/>, naming the offending file and why.</summary>
    public CorruptHeadException(int version, string path, string reason)
        : base(string.Create(CultureInfo.InvariantCulture, $"Head v{version} is corrupt: '{path}': {reason}"))
    {
        Version = version;
        Path = path;
        Reason = reason;
    }

    /// <summary>The refused version.</summary>
    public int Version { get; }

    /// <summary>The file or directory at fault.</summary>
    public string Path { get; }

    /// <summary>What is wrong with it.</summary>
    public string Reason { get; }
}
