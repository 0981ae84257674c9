namespace DeviceHost.Fleet;

/// <summary>The broker is unreachable, refused the connection, or the connection dropped mid-operation.</summary>
public sealed class FleetBrokerException : Exception
{
    public FleetBrokerException()
    {
    }

    public FleetBrokerException(string message)
        : base(message)
    {
    }

    public FleetBrokerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
