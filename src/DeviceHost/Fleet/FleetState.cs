using System.Text.Json;
using EdgeRuntime.Fleet;

namespace DeviceHost.Fleet;

/// <summary>The retained payload of edgeruntime/&lt;site&gt;/&lt;device&gt;/state, schema 1 (docs/fleet.md).</summary>
public sealed record FleetState
{
    public int Schema { get; init; } = 1;

    public required string DeviceId { get; init; }

    public required string Site { get; init; }

    public required DateTimeOffset UpdatedUtc { get; init; }

    public string? SoftwareVersion { get; init; }

    /// <summary>"starting", "needsCalibration", "degraded" or "ok".</summary>
    public required string Health { get; init; }

    public string? Provider { get; init; }

    /// <summary>Backbone precision ("fp32", "int8") when the backbone reports it.</summary>
    public string? Precision { get; init; }

    public string? BackboneHash { get; init; }

    public FleetHeadState? ActiveHead { get; init; }

    /// <summary>The device's drift flags as /status reports them; null until the device reports drift.</summary>
    public JsonElement? Drift { get; init; }

    public int? Samples { get; init; }

    /// <summary>The camera source's state (streaming, reconnecting, ...).</summary>
    public string? Source { get; init; }

    public required FleetOutboxState Outbox { get; init; }

    /// <summary>What the device did with the last head bundle it received.</summary>
    public BundleOutcome? LastBundle { get; init; }

    /// <summary>SPKI PEM of the key this device signs its moments with (federation).</summary>
    public string? MomentsPublicKey { get; init; }

    public IReadOnlyList<string> Errors { get; init; } = [];
}

/// <summary>The active head, as the fleet sees it.</summary>
public sealed record FleetHeadState(int Version, IReadOnlyList<string> Labels, double? Accuracy, string? Trigger);

/// <summary>The outbox's fill and its bound (what is inside the bound is never lost).</summary>
public sealed record FleetOutboxState(int Pending, long Bytes, int MaxMessages, long MaxBytes, long Dropped);
