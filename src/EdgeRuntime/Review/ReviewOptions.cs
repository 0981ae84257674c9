namespace EdgeRuntime.Review;

/// <summary>What the hard-sample queue keeps. Bound from the <c>Review</c> section.</summary>
public sealed class ReviewOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>At most this many frames join the queue per minute: a novel object in view must not flood it.</summary>
    public int MaxPerMinute { get; set; } = 6;

    /// <summary>Frames kept on disk; the oldest go first.</summary>
    public int MaxItems { get; set; } = 200;

    /// <summary>A frame closer than this cosine distance to a queued one is a near-duplicate and dropped.</summary>
    public double DuplicateDistance { get; set; } = 0.02;

    /// <summary>Best minus second-best probability below which a prediction counts as low-margin.</summary>
    public double LowMargin { get; set; } = 0.1;

    /// <summary>The first problem, naming the key, or null.</summary>
    public string? Validate() =>
        MaxPerMinute < 1 ? $"Review:MaxPerMinute must be at least 1, not {MaxPerMinute}."
        : MaxItems < 1 ? $"Review:MaxItems must be at least 1, not {MaxItems}."
        : DuplicateDistance is < 0 or > 2 ? $"Review:DuplicateDistance must be 0..2, not {DuplicateDistance}."
        : LowMargin is < 0 or > 1 ? $"Review:LowMargin must be 0..1, not {LowMargin}."
        : null;
}
