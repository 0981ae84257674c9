namespace EdgeRuntime;

/// <summary>Base type of every error the engine raises on purpose, so hosts can tell them from bugs.</summary>
public class EdgeRuntimeException : Exception
{
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
}
