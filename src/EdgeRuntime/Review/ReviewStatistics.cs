namespace EdgeRuntime.Review;

/// <summary>Counters of the hard-sample queue since start.</summary>
public sealed record ReviewStatistics(int Queued, long Offered, long Added, long RateLimited, long Duplicates, long Evicted);
