namespace EdgeRuntime.Review;

/// <summary>One queued frame as the page lists it (the image is served separately).</summary>
public sealed record ReviewItem(
    string Id,
    DateTimeOffset CapturedUtc,
    IReadOnlyList<ReviewReason> Reasons,
    string? Predicted,
    float Confidence,
    float? Novelty,
    int HeadVersion);
