namespace EdgeRuntime.Quantization;

/// <summary>A verified cache entry: the run's report and its model (in use only when the report passed, or when int8 is forced).</summary>
/// <param name="TensorRtCalibrationTable">Path of the run's TensorRT calibration cache, when it was written.</param>
public sealed record QuantizedModelCacheEntry(QuantizationReport Report, byte[] Model, string? TensorRtCalibrationTable = null);
