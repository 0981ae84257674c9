namespace EdgeRuntime.Quantization;

/// <summary>A QDQ int8 backbone (serialized ONNX, same input and output as the fp32 one) and the report of its run.</summary>
public sealed record QuantizedBackbone(byte[] Model, QuantizationReport Report);
