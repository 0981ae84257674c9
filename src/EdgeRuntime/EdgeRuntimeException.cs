namespace EdgeRuntime;

/// <summary>Base type of every error the engine raises on purpose, so hosts can tell them from bugs.</summary>
public class EdgeRuntimeException : Exception
{
    private readonly FaultKind? _fault;

    public EdgeRuntimeException()
    {
    }

    public EdgeRuntimeException(string message)
        : base(message)
    {
    }

    public EdgeRuntimeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public EdgeRuntimeException(FaultKind fault, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        _fault = fault;
    }

    /// <summary>
    /// Whose fault it is. Unless a subclass or the thrower says otherwise: a wrapped I/O failure is a storage fault,
    /// anything else is invalid input (the engine's own checks of what it was given).
    /// </summary>
    public virtual FaultKind Fault => _fault ?? (InnerException is IOException or UnauthorizedAccessException ? FaultKind.Storage : FaultKind.InvalidInput);
}
