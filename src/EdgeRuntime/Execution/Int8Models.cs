namespace EdgeRuntime.Execution;

/// <summary>The forms of one int8 backbone each provider can run.</summary>
/// <param name="Qdq">QuantizeLinear/DequantizeLinear model: CPU and CUDA run it as int8 kernels.</param>
/// <param name="Fp32">
/// Makes the fp32 model: TensorRT's INT8 mode builds from it with <paramref name="TensorRtCalibrationTable"/>; everyone's
/// fallback. Called only then, because preparing it is the largest allocation of a start-up that runs int8.
/// </param>
/// <param name="TensorRtCalibrationTable">Path of a <see cref="Execution.TensorRtCalibrationTable"/> file, or null.</param>
public sealed record Int8Models(byte[] Qdq, Func<byte[]> Fp32, string? TensorRtCalibrationTable);
