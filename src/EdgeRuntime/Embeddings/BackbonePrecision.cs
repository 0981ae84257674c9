namespace EdgeRuntime.Embeddings;

/// <summary>Arithmetic of the backbone. <c>Backbone:Precision</c>.</summary>
public enum BackbonePrecision
{
    /// <summary>The model as shipped.</summary>
    Fp32,

    /// <summary>The int8 model calibrated on this device, used even when its parity check failed (logged).</summary>
    Int8,

    /// <summary>Quantize once enough calibration images exist; switch to int8 only after it passes the parity check.</summary>
    Auto,
}
