namespace EdgeRuntime.Fleet;

/// <summary>One message waiting in the <see cref="FleetOutbox"/>: where it goes and how (QoS 0-2, retained or not).</summary>
public sealed record OutboxMessage(long Sequence, string Topic, ReadOnlyMemory<byte> Payload, int QualityOfService, bool Retain);
