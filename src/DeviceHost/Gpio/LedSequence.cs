namespace DeviceHost.Gpio;

/// <summary>The on/off steps that draw each <see cref="LedPattern"/>; a single step means steady.</summary>
public static class LedSequence
{
    /// <summary>The steps of <paramref name="pattern"/>, repeated for as long as it is shown.</summary>
    public static IReadOnlyList<(bool Lit, TimeSpan Duration)> Of(LedPattern pattern) => pattern switch
    {
        LedPattern.Off => [(false, Timeout.InfiniteTimeSpan)],
        LedPattern.Ready => [(true, Timeout.InfiniteTimeSpan)],
        LedPattern.Training => [(true, Ms(500)), (false, Ms(500))],
        LedPattern.Fault => [(true, Ms(100)), (false, Ms(100))],
        LedPattern.NeedsCalibration => [(true, Ms(150)), (false, Ms(150)), (true, Ms(150)), (false, Ms(850))],
        LedPattern.Drift => [(true, Ms(1000)), (false, Ms(200))],
        _ => throw new ArgumentOutOfRangeException(nameof(pattern), pattern, "Unknown LED pattern."),
    };

    private static TimeSpan Ms(int milliseconds) => TimeSpan.FromMilliseconds(milliseconds);
}
