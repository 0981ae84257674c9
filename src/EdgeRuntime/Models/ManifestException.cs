namespace EdgeRuntime.Models;

/// <summary>A backbone manifest that cannot be used: unreadable, incomplete, or not matching its model.</summary>
public sealed class ManifestException : EdgeRuntimeException
{
    /// <inheritdoc/>
    public override FaultKind Fault => FaultKind.Corrupt;

    public ManifestException()
    {
    }

    public ManifestException(string message)
        : base(message)
    {
    }

    public ManifestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
