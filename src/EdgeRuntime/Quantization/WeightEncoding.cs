namespace EdgeRuntime.Quantization;

/// <summary>How int8 Conv weights are stored in the QDQ graph, which decides the kernel ONNX Runtime multiplies them with.</summary>
public enum WeightEncoding
{
    /// <summary>Signed int8 in [-127, 127], zero point 0: the VNNI and ARM kernels accumulate in int32 and are exact.</summary>
    Int8,

    /// <summary>
    /// Signed int8 in [-64, 64] (ONNX Runtime's <c>reduce_range</c>): on x86 without VNNI the fast u8 x s8 kernel adds
    /// each pair of products into an int16, and 255 x 64 x 2 cannot saturate it; one bit of weight precision is lost.
    /// </summary>
    Int8ReducedRange,

    /// <summary>Unsigned uint8 with zero point 128, full range: exact on x86 without VNNI, but the u8 x u8 kernel is slower.</summary>
    UInt8Offset,
}
