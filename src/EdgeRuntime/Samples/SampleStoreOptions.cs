using System.Globalization;

namespace EdgeRuntime.Samples;

/// <summary>Settings of a <see cref="SampleStore"/>.</summary>
public sealed class SampleStoreOptions
{
    /// <summary>Share of each class held out for evaluation, in [0, 0.9]. Changing it affects only new samples.</summary>
    public double HoldoutShare { get; init; } = 0.2;

    /// <summary>Largest image accepted, in bytes.</summary>
    public int MaxImageBytes { get; init; } = 32 * 1024 * 1024;

    /// <summary>Clock for capture times the caller does not give.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>A message naming the bad setting, or null.</summary>
    public string? Validate()
    {
        if (!(HoldoutShare >= 0 && HoldoutShare <= 0.9))
        {
            return string.Create(CultureInfo.InvariantCulture, $"SampleStore HoldoutShare must be between 0 and 0.9, not {HoldoutShare}.");
        }

        if (MaxImageBytes <= 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"SampleStore MaxImageBytes must be positive, not {MaxImageBytes}.");
        }

        return TimeProvider is null ? "SampleStore TimeProvider must be set." : null;
    }
}
