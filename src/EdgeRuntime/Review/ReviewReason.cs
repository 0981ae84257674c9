namespace EdgeRuntime.Review;

/// <summary>Why a live frame was kept for a technician to label.</summary>
public enum ReviewReason
{
    /// <summary>The head flagged it as unknown (novel).</summary>
    Novel,

    /// <summary>The two best classes were nearly tied.</summary>
    LowMargin,

    /// <summary>The predicted class changed from the previous frame.</summary>
    Flip,
}
