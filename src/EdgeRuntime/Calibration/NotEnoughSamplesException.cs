namespace EdgeRuntime.Calibration;

/// <summary>The stored samples cannot train and judge a head yet (too few classes, or a class without samples); the message says what to capture.</summary>
public sealed class NotEnoughSamplesException : EdgeRuntimeException
{
    public NotEnoughSamplesException()
        : base("There are not enough samples to train a head.")
    {
    }

    public NotEnoughSamplesException(string message)
        : base(message)
    {
    }

    public NotEnoughSamplesException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
