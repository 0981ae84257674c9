using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace EdgeRuntime.Quantization;

/// <summary>
/// The largest int8 weight magnitude this CPU's int8 convolutions compute exactly. On x86 without VNNI, ONNX Runtime
/// multiplies uint8 activations by int8 weights with <c>vpmaddubsw</c>, which adds each pair of products into an int16
/// and saturates: 255 x 127 x 2 is above 32767, so full-range weights silently corrupt the convolutions (measured on an
/// AVX2-only EPYC: median cosine int8 vs fp32 0.84 instead of 0.996). Weights limited to +-64 (ONNX Runtime's
/// <c>reduce_range</c>) cannot saturate. VNNI (AVX-VNNI, AVX512-VNNI) and ARM accumulate in int32 and get the full range.
/// </summary>
internal static class WeightRange
{
    public const int Full = 127;
    public const int Reduced = 64;

    private static readonly Lazy<int> Machine = new(Detect);

    public static int ForThisMachine => Machine.Value;

    private static int Detect()
    {
        if (RuntimeInformation.ProcessArchitecture is not (Architecture.X64 or Architecture.X86) || AvxVnni.IsSupported)
        {
            return Full;
        }

        // .NET has no AVX512-VNNI query; the kernel's flags name it.
        try
        {
            var flags = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal));
            return flags is not null && flags.Split(' ').Contains("avx512_vnni") ? Full : Reduced;
        }
        catch (IOException)
        {
            return Reduced;
        }
        catch (UnauthorizedAccessException)
        {
            return Reduced;
        }
    }
}
