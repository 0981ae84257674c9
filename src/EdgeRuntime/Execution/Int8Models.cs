namespace EdgeRuntime.Execution;

/// <summary>The forms of one int8 backbone each provider can run.</summary>
/// <param name="Qdq">QuantizeLinear/DequantizeLinear model: CPU and CUDA run it as int8 kernels.</param>
/// <param name="Fp32">The fp32 model: TensorRT's INT8 mode builds from it with <paramref name="TensorRtCalibrationTable"/>; everyone's fallback.</param>
/// <param name="TensorRtCalibrationTable">Path of a <see cref="Execution.TensorRtCalibrationTable"/> file, or null.</param>
public sealed record Int8Models(byte[] Qdq, byte[] Fp32, string? TensorRtCalibrationTable);
