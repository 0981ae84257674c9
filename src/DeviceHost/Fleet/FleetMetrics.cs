namespace DeviceHost.Fleet;

/// <summary>Periodic metrics on edgeruntime/&lt;site&gt;/&lt;device&gt;/metrics, schema 1, QoS 0 (a lost sample is replaced by the next).</summary>
public sealed record FleetMetrics
{
    public int Schema { get; init; } = 1;

    public required string DeviceId { get; init; }

    public required DateTimeOffset AtUtc { get; init; }

    public double UptimeSeconds { get; init; }

    public double Fps { get; init; }

    public long FramesProcessed { get; init; }

    public long FramesDropped { get; init; }

    public long FailedFrames { get; init; }

    public double? LatencyP50Ms { get; init; }

    public double? LatencyP95Ms { get; init; }

    public double? ResidentMb { get; init; }

    public int OutboxPending { get; init; }
}
