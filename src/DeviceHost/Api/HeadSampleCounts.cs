namespace DeviceHost.Api;

/// <summary>How many samples a head was trained (rows, augmented views included) and judged on; null when not recorded.</summary>
public sealed record HeadSampleCounts(int? Train, int? Holdout);
