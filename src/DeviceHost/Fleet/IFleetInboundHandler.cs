namespace DeviceHost.Fleet;

/// <summary>Handles inbound messages on the topic filters it names; faults are contained and logged by the connection.</summary>
public interface IFleetInboundHandler
{
    /// <summary>MQTT topic filters to subscribe to (QoS 1).</summary>
    IReadOnlyList<string> TopicFilters { get; }

    /// <summary>True when <paramref name="topic"/> is one of this handler's.</summary>
    bool Handles(string topic);

    Task HandleAsync(FleetInbound message, CancellationToken cancellationToken);
}
