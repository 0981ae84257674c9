namespace DeviceHost.Sources;

/// <summary>Reconnect and stall-detection policy of <see cref="SupervisedFrameSource"/>.</summary>
public sealed class SupervisorOptions
{
    /// <summary>Delay before the first retry; doubles (see <see cref="BackoffMultiplier"/>) per further failure.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(0.5);

    /// <summary>Cap on the retry delay.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Growth factor of the retry delay.</summary>
    public double BackoffMultiplier { get; set; } = 2;

    /// <summary>Each delay is shortened by up to this fraction at random, so devices on one network do not retry in lockstep.</summary>
    public double JitterFraction { get; set; } = 0.2;

    /// <summary>Seed of the jitter Random, for reproducible runs and tests.</summary>
    public int JitterSeed { get; set; } = 7919;

    /// <summary>Stall timeout floor: no frame for this long always counts as a stall.</summary>
    public TimeSpan MinimumStallTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Stall timeout in frame intervals when the source's frame rate is known (the larger of the two applies).</summary>
    public double StallFrameIntervals { get; set; } = 10;

    /// <summary>After each (re)connect, stall detection waits at least this long, so a slow-starting camera is not restarted in a loop.</summary>
    public TimeSpan ReconnectGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>This many reads in a row without a frame trigger a reconnect without waiting for the stall timeout.</summary>
    public int MaxConsecutiveReadFailures { get; set; } = 10;

    /// <summary>Reconnect cycles without a frame after which the state shows Failed (retries continue at the capped delay).</summary>
    public int FailedAfterAttempts { get; set; } = 5;

    internal void Validate()
    {
        if (InitialBackoff <= TimeSpan.Zero || MaxBackoff < InitialBackoff)
        {
            throw new ArgumentException($"Backoff must satisfy 0 < InitialBackoff ({InitialBackoff}) <= MaxBackoff ({MaxBackoff}).");
        }

        if (BackoffMultiplier < 1 || JitterFraction is < 0 or > 1 || StallFrameIntervals < 0)
        {
            throw new ArgumentException("BackoffMultiplier must be >= 1, JitterFraction within [0, 1] and StallFrameIntervals >= 0.");
        }

        if (MinimumStallTimeout <= TimeSpan.Zero || ReconnectGracePeriod < TimeSpan.Zero || MaxConsecutiveReadFailures < 1 || FailedAfterAttempts < 1)
        {
            throw new ArgumentException("MinimumStallTimeout must be positive, ReconnectGracePeriod not negative, and the failure counts at least 1.");
        }
    }
}
