namespace EdgeRuntime.Adaptation;

/// <summary>Adaptation cannot run with what it was given (too few frames, no active head, a pruned base); nothing changed.</summary>
public sealed class AdaptationException : EdgeRuntimeException
{
    public AdaptationException(string message)
        : base(message)
    {
    }

    public AdaptationException()
    {
    }

    public AdaptationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
