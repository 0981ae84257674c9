namespace EdgeRuntime.Samples;

/// <summary>The store on disk cannot be used (not a database, schema from a newer build, unreadable directory).</summary>
public sealed class SampleStoreException : EdgeRuntimeException
{
    /// <inheritdoc/>
    public override FaultKind Fault => FaultKind.Storage;

    public SampleStoreException(string message)
        : base(message)
    {
    }

    public SampleStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
