using System.Globalization;

namespace EdgeRuntime.Samples;

/// <summary>Settings of a <see cref="SampleStore"/>.</summary>
public sealed class SampleStoreOptions
{
    /// <summary>Share of each class held out for evaluation, in [0, 0.9]. Changing it affects only new samples.</summary>
    public double HoldoutShare { get; init; } = 0.2;

    /// <summary>Largest image accepted, in bytes.</summary>
    public int MaxImageBytes { get; init; } = 32 * 1024 * 1024;

    /// <summary>Largest image accepted, in pixels (width x height read from the header).</summary>
    public long MaxImagePixels { get; init; } = Imaging.ImageDecoder.MaximumPixels;

    /// <summary>
    /// Largest share of the store (samples plus unreferenced images) that recovery at open may act on, beyond a few
    /// items; above it the store refuses to open rather than quarantine most of itself.
    /// </summary>
    public double MaxRecoveryShare { get; init; } = 0.05;

    /// <summary>Where image files are written (the seam tests use to fill the disk).</summary>
    public Storage.IFileSystem FileSystem { get; init; } = Storage.DiskFileSystem.Instance;

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

        if (MaxImagePixels <= 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"SampleStore MaxImagePixels must be positive, not {MaxImagePixels}.");
        }

        if (!(MaxRecoveryShare >= 0 && MaxRecoveryShare <= 1))
        {
            return string.Create(CultureInfo.InvariantCulture, $"SampleStore MaxRecoveryShare must be between 0 and 1, not {MaxRecoveryShare}.");
        }

        if (FileSystem is null)
        {
            return "SampleStore FileSystem must be set.";
        }

        return TimeProvider is null ? "SampleStore TimeProvider must be set." : null;
    }
}
