namespace DeviceHost.Fleet;

/// <summary>
/// The broker seam: one MQTT 5 session. The real one is <see cref="MqttFleetBroker"/>; tests use a hand-written fake.
/// Inbound messages are acknowledged (QoS 1) only after <see cref="MessageReceived"/>'s handler returned, so a
/// message being handled when the process dies is delivered again.
/// </summary>
public interface IFleetBroker : IAsyncDisposable
{
    bool IsConnected { get; }

    /// <summary>Raised once per lost connection (not for <see cref="DisconnectAsync"/>), with the reason.</summary>
    event EventHandler<string>? Disconnected;

    /// <summary>Awaited for each inbound message; the message is acknowledged after it returns.</summary>
    event Func<FleetInbound, Task>? MessageReceived;

    /// <summary>Connects; true when the broker still had this client's session.</summary>
    /// <exception cref="FleetBrokerException">Refused (bad credentials, not authorised) or unreachable.</exception>
    Task<bool> ConnectAsync(CancellationToken cancellationToken);

    /// <summary>Publishes; for QoS 1 returns after the broker's acknowledgement.</summary>
    /// <returns>Null when delivered to the broker; the broker's refusal (e.g. "NotAuthorized") otherwise.</returns>
    /// <exception cref="FleetBrokerException">The connection is gone; the message may not have arrived.</exception>
    Task<string?> PublishAsync(string topic, ReadOnlyMemory<byte> payload, int qualityOfService, bool retain, CancellationToken cancellationToken);

    /// <summary>Subscribes at QoS 1; retained messages are sent only for a subscription the session did not have.</summary>
    Task SubscribeAsync(IReadOnlyList<string> topicFilters, CancellationToken cancellationToken);

    /// <summary>Disconnects cleanly (no last will).</summary>
    Task DisconnectAsync(CancellationToken cancellationToken);
}
