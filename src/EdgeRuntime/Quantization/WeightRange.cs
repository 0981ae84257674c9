using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace EdgeRuntime.Quantization;

/// <summary>
/// Which <see cref="WeightEncoding"/> this CPU's int8 convolutions want. On x86 without VNNI, ONNX Runtime multiplies
/// uint8 activations by int8 weights with <c>vpmaddubsw</c>, which adds each pair of products into an int16 and
/// saturates: 255 x 127 x 2 is above 32767, so full-range signed weights silently corrupt the convolutions (measured on
/// an AVX2-only EPYC: median cosine int8 vs fp32 0.84). Weights limited to +-64 cannot saturate (cosine 0.9946) and
/// keep the fast kernel; uint8 weights with zero point 128 are exact (0.9963) but run on the u8 x u8 kernel, measured
/// 1.4x slower on the same machine (int8 1.3x faster than fp32 instead of 1.9x). The reduced range is therefore tried
/// first and the uint8 form only when it fails the parity check. VNNI (AVX-VNNI, AVX512-VNNI) and ARM accumulate in
/// int32 and keep full-range signed weights.
/// </summary>
internal static class WeightRange
{
    private static readonly Lazy<bool> SaturatingMachine = new(Detect);

    /// <summary>The encodings to try on this machine, fastest first.</summary>
    public static IReadOnlyList<WeightEncoding> ForThisMachine => SaturatingMachine.Value
        ? [WeightEncoding.Int8ReducedRange, WeightEncoding.UInt8Offset]
        : [WeightEncoding.Int8];

    /// <summary>Largest weight magnitude in quantization steps, either way of zero.</summary>
    public static int Levels(WeightEncoding encoding) => encoding == WeightEncoding.Int8ReducedRange ? 64 : 127;

    private static bool Detect()
    {
        if (RuntimeInformation.ProcessArchitecture is not (Architecture.X64 or Architecture.X86) || AvxVnni.IsSupported)
        {
            return false;
        }

        // .NET has no AVX512-VNNI query; the kernel's flags name it.
        try
        {
            var flags = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal));
            return flags is null || !flags.Split(' ').Contains("avx512_vnni");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return true;
        }
    }
}
