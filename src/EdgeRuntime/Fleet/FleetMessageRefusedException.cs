namespace EdgeRuntime.Fleet;

/// <summary>A signed fleet message was refused; <see cref="Reason"/> says why, the message says the detail. Nothing was changed.</summary>
public sealed class FleetMessageRefusedException : EdgeRuntimeException
{
    public FleetMessageRefusedException(FleetRefusal reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    public FleetMessageRefusedException(FleetRefusal reason, string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = reason;
    }

    public FleetMessageRefusedException()
    {
    }

    public FleetMessageRefusedException(string message)
        : base(message)
    {
    }

    public FleetMessageRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public FleetRefusal Reason { get; } = FleetRefusal.Malformed;
}
