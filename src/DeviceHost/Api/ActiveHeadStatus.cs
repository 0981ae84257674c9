using EdgeRuntime.Evaluation;

namespace DeviceHost.Api;

/// <summary>The head the frame loop runs, in /status.</summary>
/// <param name="UnknownThreshold">The threshold in force (a configured override wins over the head's own).</param>
/// <param name="Accuracy">Holdout accuracy recorded when it was trained; null when its manifest cannot be read.</param>
/// <param name="Metrics">Its recorded holdout metrics.</param>
/// <param name="Summary">Its row of the head history (as GET /heads lists it).</param>
public sealed record ActiveHeadStatus(
    int Version,
    IReadOnlyList<string> Labels,
    double UnknownThreshold,
    double? Accuracy,
    ClassificationMetrics? Metrics,
    HeadSummary? Summary);
