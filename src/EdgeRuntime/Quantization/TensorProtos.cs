using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace EdgeRuntime.Quantization;

/// <summary>Reads and builds ONNX initializers (float, int8, uint8, int32, int64) for the graph rewrites.</summary>
internal static class TensorProtos
{
    public static float[] ReadFloats(TensorProto tensor)
    {
        if (tensor.DataType != (int)TensorProto.Types.DataType.Float)
        {
            throw new QuantizationException($"Initializer '{tensor.Name}' is {(TensorProto.Types.DataType)tensor.DataType}, not float.");
        }

        if (tensor.FloatData.Count > 0)
        {
            return [.. tensor.FloatData];
        }

        return MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray();
    }

    public static TensorProto Floats(string name, ReadOnlySpan<float> values, params long[] dims) =>
        Raw(name, TensorProto.Types.DataType.Float, MemoryMarshal.AsBytes(values), dims);

    public static TensorProto Int8(string name, ReadOnlySpan<sbyte> values, params long[] dims) =>
        Raw(name, TensorProto.Types.DataType.Int8, MemoryMarshal.AsBytes(values), dims);

    public static TensorProto UInt8(string name, ReadOnlySpan<byte> values, params long[] dims) =>
        Raw(name, TensorProto.Types.DataType.Uint8, values, dims);

    public static TensorProto UInt8(string name, byte value) =>
        Raw(name, TensorProto.Types.DataType.Uint8, [value]);

    public static TensorProto Int32(string name, ReadOnlySpan<int> values, params long[] dims) =>
        Raw(name, TensorProto.Types.DataType.Int32, MemoryMarshal.AsBytes(values), dims);

    public static TensorProto Int64(string name, ReadOnlySpan<long> values, params long[] dims) =>
        Raw(name, TensorProto.Types.DataType.Int64, MemoryMarshal.AsBytes(values), dims);

    public static long[] Dims(TensorProto tensor) => [.. tensor.Dims];

    private static TensorProto Raw(string name, TensorProto.Types.DataType type, ReadOnlySpan<byte> bytes, params long[] dims)
    {
        // ONNX stores raw_data little-endian, which is what every supported device is.
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.AddRange(dims);
        return tensor;
    }
}
