namespace EdgeRuntime.Samples;

/// <summary>No stored sample matches the given id or image hash.</summary>
public sealed class SampleNotFoundException : EdgeRuntimeException
{
    /// <inheritdoc/>
    public override FaultKind Fault => FaultKind.NotFound;

    public SampleNotFoundException(string message)
        : base(message)
    {
    }
}
