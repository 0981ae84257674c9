namespace EdgeRuntime.Samples;

/// <summary>An embedding was refused (non-finite value, wrong dimension, bad key).</summary>
public sealed class InvalidEmbeddingException : EdgeRuntimeException
{
    public InvalidEmbeddingException(string message)
        : base(message)
    {
    }
}
