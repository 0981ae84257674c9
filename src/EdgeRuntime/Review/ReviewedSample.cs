namespace EdgeRuntime.Review;

/// <summary>A queued frame being assigned: its listing, JPEG bytes and backbone embedding.</summary>
public sealed record ReviewedSample(ReviewItem Item, byte[] Jpeg, float[] Embedding);
