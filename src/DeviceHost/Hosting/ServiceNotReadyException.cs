using EdgeRuntime;

namespace DeviceHost.Hosting;

/// <summary>A part of the service a request needs is still starting or could not start (answered 503).</summary>
public sealed class ServiceNotReadyException : EdgeRuntimeException
{
    public ServiceNotReadyException()
    {
    }

    public ServiceNotReadyException(string message)
        : base(FaultKind.NotReady, message)
    {
    }

    public ServiceNotReadyException(string message, Exception innerException)
        : base(FaultKind.NotReady, message, innerException)
    {
    }

    /// <inheritdoc/>
    public override FaultKind Fault => FaultKind.NotReady;
}
