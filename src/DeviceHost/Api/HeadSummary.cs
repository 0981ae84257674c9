using System.Text.Json;
using EdgeRuntime.Heads;

namespace DeviceHost.Api;

/// <summary>One row of the head history.</summary>
public static class HeadSummary
{
    public static object From(HeadManifest m, int? activeVersion)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new
        {
            m.Version,
            createdAt = m.CreatedUtc,
            accuracy = m.HoldoutMetrics?.Accuracy,
            samples = new { train = Count(m, "trainSamples"), holdout = m.HoldoutMetrics?.Total },
            m.Labels,
            m.HeadKind,
            trigger = m.Trigger,
            gate = new { outcome = m.Gate.ShouldActivate ? "activated" : "kept", m.Gate.Reason, m.Gate.Forced },
            active = m.Version == activeVersion,
            m.UnknownThreshold,
        };
    }

    private static int? Count(HeadManifest m, string property) =>
        m.TrainingSettings is { ValueKind: JsonValueKind.Object } settings && settings.TryGetProperty(property, out var value) && value.TryGetInt32(out var n) ? n : null;
}
