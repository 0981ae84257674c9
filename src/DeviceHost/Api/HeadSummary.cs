using System.Text.Json;
using EdgeRuntime.Heads;

namespace DeviceHost.Api;

/// <summary>One row of the head history (GET /heads items, /status activeHead.summary).</summary>
/// <param name="Samples">Training rows and holdout samples it was trained and judged on.</param>
/// <param name="Active">True for the version the registry has active.</param>
/// <param name="Recipe">Recipe and cross-validation estimate; null for heads from before few-shot training.</param>
public sealed record HeadSummary(
    int Version,
    DateTimeOffset CreatedAt,
    double? Accuracy,
    HeadSampleCounts Samples,
    IReadOnlyList<string> Labels,
    string HeadKind,
    HeadTrigger Trigger,
    GateSummary Gate,
    bool Active,
    double UnknownThreshold,
    HeadRecipeSummary? Recipe = null)
{
    public static HeadSummary From(HeadManifest m, int? activeVersion)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new HeadSummary(
            m.Version,
            m.CreatedUtc,
            m.HoldoutMetrics?.Accuracy,
            new HeadSampleCounts(Count(m, "trainSamples"), m.HoldoutMetrics?.Total),
            m.Labels,
            m.HeadKind,
            m.Trigger,
            new GateSummary(m.Gate.ShouldActivate ? "activated" : "kept", m.Gate.Reason, m.Gate.Forced),
            m.Version == activeVersion,
            m.UnknownThreshold,
            HeadRecipeSummary.From(m.Recipe));
    }

    private static int? Count(HeadManifest m, string property) =>
        m.TrainingSettings is { ValueKind: JsonValueKind.Object } settings && settings.TryGetProperty(property, out var value) && value.TryGetInt32(out var n) ? n : null;
}
