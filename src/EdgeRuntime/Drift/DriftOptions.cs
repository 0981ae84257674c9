namespace EdgeRuntime.Drift;

/// <summary>Window, thresholds and hysteresis of the drift monitor. Bound from the <c>Drift</c> section.</summary>
public sealed class DriftOptions
{
    /// <summary>Below this many frames a window's mean is noise; the statistics wait for it.</summary>
    public const int MinimumWindowFrames = 16;

    public bool Enabled { get; set; } = true;

    /// <summary>Frames in the sliding window every statistic is computed over.</summary>
    public int WindowFrames { get; set; } = 120;

    /// <summary>A statistic must stay beyond its threshold this long before it raises (no alarm on a passing hand).</summary>
    public double RaiseAfterSeconds { get; set; } = 5;

    /// <summary>A raised statistic must stay inside its clear level this long before it clears (no flapping).</summary>
    public double ClearAfterSeconds { get; set; } = 20;

    /// <summary>A raised statistic clears only below this share of its threshold (above threshold ÷ ratio for low-side ones).</summary>
    public double ClearRatio { get; set; } = 0.8;

    /// <summary>
    /// Margin over each head's calibrated embedding-shift threshold (a 99 % upper bound for one held-out frame, see
    /// <c>Novelty.ShiftThreshold</c>):
    /// a still scene of an unusual but known object sits near that percentile, and must be able to clear below
    /// <see cref="ClearRatio"/> of the threshold.
    /// </summary>
    public double ShiftThresholdScale { get; set; } = 1.25;

    /// <summary>Share of unknown predictions in the window that raises.</summary>
    public double UnknownRateThreshold { get; set; } = 0.3;

    /// <summary>Total-variation distance of the window's prediction histogram from the training class balance that raises.</summary>
    public double ClassBalanceThreshold { get; set; } = 0.6;

    /// <summary>
    /// Whether a class-balance shift alone raises the alarm. Off by default: a camera watching one station sees one class
    /// for hours, which is no reason to recalibrate; the statistic is still reported.
    /// </summary>
    public bool AlarmOnClassBalance { get; set; }

    /// <summary>Mean grey level below which frames count as dark (covered lens, lights off).</summary>
    public double DarkBrightness { get; set; } = 25;

    /// <summary>Mean grey level above which frames count as washed out.</summary>
    public double BrightBrightness { get; set; } = 235;

    /// <summary>Grey-level standard deviation below which frames have no contrast.</summary>
    public double MinimumContrast { get; set; } = 8;

    /// <summary>Sharpness below this share of the reference sharpness (the first healthy window) counts as blurred.</summary>
    public double BlurRatio { get; set; } = 0.35;

    /// <summary>Mean grey change between frames below which a frame counts as unchanged.</summary>
    public double FrozenChange { get; set; } = 0.25;

    /// <summary>Seconds of unchanged frames that count as a frozen camera.</summary>
    public double FrozenSeconds { get; set; } = 10;

    /// <summary>The first problem, naming the key, or null.</summary>
    public string? Validate()
    {
        if (WindowFrames < MinimumWindowFrames || WindowFrames > 10_000)
        {
            return $"Drift:WindowFrames must be {MinimumWindowFrames}..10000, not {WindowFrames}: a smaller window's mean is noise.";
        }

        if (RaiseAfterSeconds < 0 || ClearAfterSeconds < 0 || FrozenSeconds <= 0)
        {
            return $"Drift:RaiseAfterSeconds and Drift:ClearAfterSeconds must be at least 0 and Drift:FrozenSeconds above 0 (got {RaiseAfterSeconds}, {ClearAfterSeconds}, {FrozenSeconds}).";
        }

        if (ClearRatio is <= 0 or > 1)
        {
            return $"Drift:ClearRatio must be above 0 and at most 1, not {ClearRatio}.";
        }

        if (UnknownRateThreshold is <= 0 or > 1 || ClassBalanceThreshold is <= 0 or > 1)
        {
            return $"Drift:UnknownRateThreshold and Drift:ClassBalanceThreshold must be above 0 and at most 1 (got {UnknownRateThreshold}, {ClassBalanceThreshold}).";
        }

        if (ShiftThresholdScale <= 0 || BlurRatio is <= 0 or >= 1 || DarkBrightness >= BrightBrightness)
        {
            return "Drift:ShiftThresholdScale must be above 0, Drift:BlurRatio within (0, 1) and Drift:DarkBrightness below Drift:BrightBrightness.";
        }

        return null;
    }
}
