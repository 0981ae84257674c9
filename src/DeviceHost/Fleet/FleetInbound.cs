namespace DeviceHost.Fleet;

/// <summary>A message from the broker: its topic, payload and whether it was retained.</summary>
public sealed record FleetInbound(string Topic, ReadOnlyMemory<byte> Payload, bool Retained);
