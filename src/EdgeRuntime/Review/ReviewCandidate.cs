namespace EdgeRuntime.Review;

/// <summary>What the frame loop knows about a frame when it offers it to the queue.</summary>
/// <param name="Best">Best class (even when unknown); null without a head.</param>
/// <param name="Margin">Best minus second-best probability.</param>
public readonly record struct ReviewCandidate(string? Best, bool Unknown, float Confidence, float Margin, float? Novelty, int HeadVersion, DateTimeOffset CapturedUtc);
