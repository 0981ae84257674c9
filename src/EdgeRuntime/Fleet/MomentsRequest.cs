using EdgeRuntime.Features;

namespace EdgeRuntime.Fleet;

/// <summary>
/// The aggregator's request on edgeruntime/&lt;site&gt;/fleet/requests (schema 1). Federation takes two rounds,
/// because class moments merge only under one reference mean: <see cref="ReferenceMeanStage"/> asks each device for
/// the count and sum of its prepared embeddings; <see cref="MomentsStage"/> carries the pooled mean and asks for the
/// class moments under it.
/// </summary>
public sealed record MomentsRequest
{
    public const string ReferenceMeanStage = "referenceMean";
    public const string MomentsStage = "moments";

    public int Schema { get; init; } = 1;

    public required string RequestId { get; init; }

    /// <summary><see cref="ReferenceMeanStage"/> or <see cref="MomentsStage"/>.</summary>
    public required string Stage { get; init; }

    public required FeatureTransformKind Transform { get; init; }

    /// <summary>The pooled reference mean (moments stage of a centred transform).</summary>
    public float[]? ReferenceMean { get; init; }
}
