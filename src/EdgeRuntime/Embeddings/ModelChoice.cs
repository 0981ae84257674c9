namespace EdgeRuntime.Embeddings;

/// <summary>A model to run instead of the prepared fp32 backbone (the cached int8 one), and how to describe it.</summary>
/// <param name="Model">Serialized ONNX with the same input and embedding output as the fp32 backbone.</param>
/// <param name="Precision">Status shown by info and /status.</param>
/// <param name="HashSuffix">Appended to the backbone hash: embeddings of a different model are different embeddings.</param>
/// <param name="TensorRtCalibrationTable">Calibration cache for TensorRT's INT8 mode, if one was written.</param>
public sealed record ModelChoice(byte[] Model, PrecisionStatus Precision, string HashSuffix, string? TensorRtCalibrationTable = null);
