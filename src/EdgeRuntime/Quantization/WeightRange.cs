using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace EdgeRuntime.Quantization;

/// <summary>
/// Whether this CPU's int8 convolutions need the weights stored as uint8. On x86 without VNNI, ONNX Runtime multiplies
/// uint8 activations by int8 weights with <c>vpmaddubsw</c>, which adds each pair of products into an int16 and
/// saturates: 255 x 127 x 2 is above 32767, so signed weights silently corrupt the convolutions (measured on an
/// AVX2-only EPYC: median cosine int8 vs fp32 0.84). Weights limited to +-64 (ONNX Runtime's <c>reduce_range</c>)
/// cannot saturate but lose a bit (0.9946); uint8 weights with zero point 128 run on the U8U8 kernels, which widen to
/// 16 bits before multiplying: exact, full range (0.9963) and as fast here. VNNI (AVX-VNNI, AVX512-VNNI) and ARM
/// accumulate in int32 and keep signed weights.
/// </summary>
internal static class WeightRange
{
    /// <summary>Largest weight magnitude in quantization steps, either way.</summary>
    public const int Levels = 127;

    private static readonly Lazy<bool> Machine = new(Detect);

    /// <summary>True when the weights must be uint8 (zero point 128) on this machine.</summary>
    public static bool Unsigned => Machine.Value;

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
