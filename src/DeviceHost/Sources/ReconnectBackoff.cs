namespace DeviceHost.Sources;

/// <summary>Capped exponential retry delays, shortened by a seeded random jitter.</summary>
public sealed class ReconnectBackoff
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private readonly double _multiplier;
    private readonly double _jitter;
    private readonly Random _random;

    public ReconnectBackoff(TimeSpan initial, TimeSpan max, double multiplier, double jitterFraction, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        _initial = initial;
        _max = max;
        _multiplier = multiplier;
        _jitter = jitterFraction;
        _random = random;
    }

    /// <summary>Builds the backoff <paramref name="options"/> describe.</summary>
    public static ReconnectBackoff From(SupervisorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ReconnectBackoff(options.InitialBackoff, options.MaxBackoff, options.BackoffMultiplier, options.JitterFraction, new Random(options.JitterSeed));
    }

    /// <summary>The undelayed ceiling for retry number <paramref name="retry"/> (0 = first retry): initial × multiplier^retry, capped.</summary>
    public TimeSpan Ceiling(int retry)
    {
        var ticks = _initial.Ticks * Math.Pow(_multiplier, Math.Max(0, retry));
        return ticks >= _max.Ticks || double.IsInfinity(ticks) ? _max : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>The delay before retry number <paramref name="retry"/>: the ceiling minus up to the jitter fraction of it.</summary>
    public TimeSpan Next(int retry)
    {
        var ceiling = Ceiling(retry);
        return _jitter == 0 ? ceiling : TimeSpan.FromTicks((long)(ceiling.Ticks * (1 - (_jitter * _random.NextDouble()))));
    }
}
