namespace DeviceHost.Api;

/// <summary>Median and 95th percentile in milliseconds; null before the first frame.</summary>
public sealed record LatencyPercentiles(double? P50, double? P95);
