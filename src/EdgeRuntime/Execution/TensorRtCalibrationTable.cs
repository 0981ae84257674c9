using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace EdgeRuntime.Execution;

/// <summary>
/// TensorRT's native INT8 calibration cache: a header line, then one "tensor: scale" line per tensor, the scale
/// (clipping magnitude / 127) as the big-endian hex of its IEEE float. Written from the same calibrated ranges as the
/// QDQ model, so TensorRT's INT8 mode (which builds from the fp32 graph plus this table) uses the device's own frames.
/// </summary>
public static class TensorRtCalibrationTable
{
    /// <summary>File name ONNX Runtime's TensorRT provider is given (it reads it from the engine cache directory).</summary>
    public const string FileName = "int8-calibration.cache";

    private const string Header = "TRT-8600-EntropyCalibration2";

    public static string Write(IReadOnlyDictionary<string, (float Low, float High)> ranges)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        var text = new StringBuilder(Header).Append('\n');
        foreach (var (tensor, (low, high)) in ranges.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            float scale = Math.Max(Math.Abs(low), Math.Abs(high)) / 127f;
            text.Append(tensor).Append(": ").Append(Hex(scale)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Reads a table back (tests, and a check before handing it to TensorRT).</summary>
    public static Dictionary<string, float> Read(string table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0 || !lines[0].StartsWith("TRT-", StringComparison.Ordinal))
        {
            throw new EdgeRuntimeException("Not a TensorRT calibration cache: the first line must start with 'TRT-'.");
        }

        var scales = new Dictionary<string, float>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(1))
        {
            int colon = line.LastIndexOf(": ", StringComparison.Ordinal);
            uint bits = uint.Parse(line[(colon + 2)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            scales[line[..colon]] = BitConverter.UInt32BitsToSingle(bits);
        }

        return scales;
    }

    private static string Hex(float value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteSingleBigEndian(bytes, value);
        return Convert.ToHexStringLower(bytes);
    }
}
