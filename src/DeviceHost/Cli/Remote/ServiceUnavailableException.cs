using EdgeRuntime;

namespace DeviceHost.Cli.Remote;

/// <summary>The running service could not be reached, or answered with an error; the message is for the technician.</summary>
public sealed class ServiceUnavailableException : EdgeRuntimeException
{
    public ServiceUnavailableException()
    {
    }

    public ServiceUnavailableException(string message)
        : base(message)
    {
    }

    public ServiceUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
