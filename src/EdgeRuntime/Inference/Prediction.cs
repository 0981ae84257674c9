namespace EdgeRuntime.Inference;

/// <summary>
/// What the active head says about one frame. <see cref="Label"/> is null when the best probability is below the
/// head's unknown threshold, or its novelty score at or above the head's novelty threshold; <see cref="TopK"/> still
/// lists the best guesses. <see cref="Novelty"/> is null for a head without a novelty model.
/// </summary>
public sealed record Prediction(
    string? Label,
    float Confidence,
    IReadOnlyList<ClassScore> TopK,
    int HeadVersion,
    DateTimeOffset FrameTime,
    TimeSpan Latency,
    float? Novelty = null)
{
    public bool IsUnknown => Label is null;
}
