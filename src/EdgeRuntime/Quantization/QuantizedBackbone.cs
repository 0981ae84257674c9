namespace EdgeRuntime.Quantization;

/// <summary>A QDQ int8 backbone (serialized ONNX, same input and output as the fp32 one) and the report of its run.</summary>
/// <param name="Model">The QDQ model.</param>
/// <param name="Report">What the run did and found.</param>
/// <param name="TensorRtCalibrationTable">The same calibrated ranges as a TensorRT calibration cache (text), for TensorRT's INT8 mode.</param>
public sealed record QuantizedBackbone(byte[] Model, QuantizationReport Report, string? TensorRtCalibrationTable = null);
