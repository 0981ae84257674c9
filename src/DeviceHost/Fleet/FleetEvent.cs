using System.Text.Json;

namespace DeviceHost.Fleet;

/// <summary>One event on edgeruntime/&lt;site&gt;/&lt;device&gt;/events, schema 1. Delivered at least once: dedupe by <see cref="Id"/>.</summary>
public sealed record FleetEvent
{
    public const string HeadActivated = "headActivated";
    public const string TrainingFailed = "trainingFailed";
    public const string SourceDown = "sourceDown";
    public const string SourceRecovered = "sourceRecovered";
    public const string RecalibrationRecommended = "recalibrationRecommended";
    public const string BundleRefused = "bundleRefused";

    public int Schema { get; init; } = 1;

    public required string Id { get; init; }

    public required string DeviceId { get; init; }

    public required string Site { get; init; }

    public required DateTimeOffset AtUtc { get; init; }

    public required string Kind { get; init; }

    public required string Message { get; init; }

    public JsonElement? Data { get; init; }
}
