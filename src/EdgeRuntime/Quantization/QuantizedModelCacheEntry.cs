namespace EdgeRuntime.Quantization;

/// <summary>A verified cache entry: the run's report and its model (in use only when the report passed, or when int8 is forced).</summary>
public sealed record QuantizedModelCacheEntry(QuantizationReport Report, byte[] Model);
