using EdgeRuntime.Inference;

namespace DeviceHost.Api;

/// <summary>A prediction as the API shows it (latency in milliseconds, "unknown" spelled out, novelty score when the head has one).</summary>
public sealed record PredictionDto(string? Label, bool Unknown, float Confidence, IReadOnlyList<ClassScore> TopK, int HeadVersion, DateTimeOffset FrameTime, double LatencyMs, float? Novelty = null)
{
    public static PredictionDto From(Prediction p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new PredictionDto(p.Label, p.IsUnknown && p.HeadVersion > 0, p.Confidence, p.TopK, p.HeadVersion, p.FrameTime, Math.Round(p.Latency.TotalMilliseconds, 2), p.Novelty);
    }
}
