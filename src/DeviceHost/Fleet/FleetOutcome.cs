using EdgeRuntime.Fleet;

namespace DeviceHost.Fleet;

/// <summary>The payload on edgeruntime/&lt;site&gt;/&lt;device&gt;/outcomes, schema 1: one device's decision on one bundle.</summary>
public sealed record FleetOutcome(string DeviceId, string Site, BundleOutcome Outcome)
{
    public int Schema { get; init; } = 1;
}
