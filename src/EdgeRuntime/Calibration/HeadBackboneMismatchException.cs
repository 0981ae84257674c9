namespace EdgeRuntime.Calibration;

/// <summary>A head version was trained on another backbone's embeddings, so it cannot run behind the loaded one.</summary>
public sealed class HeadBackboneMismatchException : EdgeRuntimeException
{
    /// <inheritdoc/>
    public override FaultKind Fault => FaultKind.Conflict;

    public HeadBackboneMismatchException()
        : base("The head was trained for another backbone; it cannot run on this one.")
    {
    }

    public HeadBackboneMismatchException(string message)
        : base(message)
    {
    }

    public HeadBackboneMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
