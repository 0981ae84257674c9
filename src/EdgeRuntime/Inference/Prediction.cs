namespace EdgeRuntime.Inference;

/// <summary>
/// What the active head says about one frame. <see cref="Label"/> is null when the best probability is below the
/// head's unknown threshold; <see cref="TopK"/> still lists the best guesses.
/// </summary>
public sealed record Prediction(
    string? Label,
    float Confidence,
    IReadOnlyList<ClassScore> TopK,
    int HeadVersion,
    DateTimeOffset FrameTime,
    TimeSpan Latency)
{
    public bool IsUnknown => Label is null;
}
