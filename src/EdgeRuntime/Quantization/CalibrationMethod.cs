namespace EdgeRuntime.Quantization;

/// <summary>How an activation's clipping range is chosen from its calibration histogram.</summary>
public enum CalibrationMethod
{
    /// <summary>Clip the 0.01 % most extreme values on each side.</summary>
    Percentile,

    /// <summary>Clip where the quantized histogram loses least information (KL divergence, as TensorRT does).</summary>
    Entropy,
}
