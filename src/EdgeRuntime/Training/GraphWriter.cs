using Google.Protobuf;
using Onnx;

namespace EdgeRuntime.Training;

/// <summary>
/// Appends nodes, constants, inputs and outputs to an ONNX graph under generated unique names, so the
/// graph builders read like the maths they implement.
/// </summary>
internal sealed class GraphWriter
{
    internal const int FloatType = (int)TensorProto.Types.DataType.Float;
    internal const int Int64Type = (int)TensorProto.Types.DataType.Int64;

    private int _counter;

    public GraphWriter(string name)
    {
        Graph = new GraphProto { Name = name };
    }

    public GraphProto Graph { get; }

    /// <summary>Adds a node with one output and returns the output's name.</summary>
    public string Op(string opType, params string[] inputs) => OpWith(opType, inputs, []);

    /// <summary>Adds a node with attributes and one output; returns the output's name.</summary>
    public string OpWith(string opType, string[] inputs, AttributeProto[] attributes, string? output = null)
    {
        var id = _counter++;
        output ??= $"{opType.ToLowerInvariant()}_{id}";
        var node = new NodeProto { OpType = opType, Name = $"{opType}_{id}" };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return output;
    }

    /// <summary>Adds an Identity node so an intermediate tensor can be published under a fixed name.</summary>
    public void Rename(string from, string to) => OpWith("Identity", [from], [], to);

    public string ConstFloat(float[] values, params long[] dims)
    {
        var tensor = new TensorProto { DataType = FloatType, Name = $"const_{_counter++}" };
        tensor.Dims.AddRange(dims);
        tensor.FloatData.AddRange(values);
        return Constant(tensor);
    }

    public string ConstInt64(long[] values, params long[] dims)
    {
        var tensor = new TensorProto { DataType = Int64Type, Name = $"const_{_counter++}" };
        tensor.Dims.AddRange(dims);
        tensor.Int64Data.AddRange(values);
        return Constant(tensor);
    }

    public void Input(string name, int elemType, params object[] dims) => Graph.Input.Add(ValueInfo(name, elemType, dims));

    public void Output(string name, int elemType, params object[] dims) => Graph.Output.Add(ValueInfo(name, elemType, dims));

    /// <summary>Adds a float initializer stored as raw little-endian bytes (compact, and what ONNX tools emit).</summary>
    public void Initializer(string name, float[] values, params long[] dims) => Graph.Initializer.Add(FloatTensor(name, values, dims));

    internal static TensorProto FloatTensor(string name, float[] values, long[] dims)
    {
        var tensor = new TensorProto { DataType = FloatType, Name = name };
        tensor.Dims.AddRange(dims);
        var bytes = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("ONNX raw tensor data is little-endian; this platform is not.");
        }

        tensor.RawData = ByteString.CopyFrom(bytes);
        return tensor;
    }

    /// <summary>A tensor value info; each dim is a long (fixed) or a string (symbolic).</summary>
    internal static ValueInfoProto ValueInfo(string name, int elemType, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
        {
            shape.Dim.Add(dim switch
            {
                string symbol => new TensorShapeProto.Types.Dimension { DimParam = symbol },
                int value => new TensorShapeProto.Types.Dimension { DimValue = value },
                long value => new TensorShapeProto.Types.Dimension { DimValue = value },
                _ => throw new ArgumentException($"Unsupported dimension {dim}.", nameof(dims)),
            });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elemType, Shape = shape } },
        };
    }

    internal static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    internal static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    private string Constant(TensorProto tensor)
    {
        var attribute = new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = tensor };
        return OpWith("Constant", [], [attribute], tensor.Name);
    }

    /// <summary>Wraps a graph in a model with the given IR version and default-domain opset.</summary>
    internal static ModelProto Model(GraphProto graph, long irVersion, long opset)
    {
        var model = new ModelProto { IrVersion = irVersion, ProducerName = "EdgeRuntime.Training", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = opset });
        return model;
    }
}
