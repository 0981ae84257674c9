using Onnx;

namespace EdgeRuntime.Quantization;

/// <summary>
/// Raises a graph to opset 13, the first with per-channel QuantizeLinear/DequantizeLinear. Only operators whose
/// meaning is known to survive the jump are accepted (the shipped ResNet-18 is a CNTK export at opset 8); anything
/// else is refused with its name rather than silently mis-run.
/// </summary>
internal static class OpsetUpgrade
{
    public const int TargetOpset = 13;

    // Operators whose attributes and inputs mean the same from opset 7 to 13.
    private static readonly HashSet<string> Unchanged = new(StringComparer.Ordinal)
    {
        "Conv", "Relu", "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "Add", "Sub", "Mul", "Div",
        "Concat", "Flatten", "Gemm", "MatMul", "Identity", "Transpose", "Reshape", "Sigmoid", "Softmax", "Sum", "LeakyRelu",
        "QuantizeLinear", "DequantizeLinear",
    };

    public static void Apply(ModelProto model)
    {
        var onnx = model.OpsetImport.FirstOrDefault(o => o.Domain.Length == 0)
            ?? throw new QuantizationException("The backbone declares no default ONNX opset.");
        if (onnx.Version >= TargetOpset)
        {
            return;
        }

        var graph = model.Graph;
        foreach (var node in graph.Node)
        {
            if (node.Domain.Length != 0)
            {
                throw new QuantizationException($"Node '{node.Name}' uses operator domain '{node.Domain}', which the quantizer does not handle.");
            }

            switch (node.OpType)
            {
                case "Split":
                    UpgradeSplit(graph, node);
                    break;
                case "BatchNormalization":
                    UpgradeBatchNorm(node);
                    break;
                case var op when Unchanged.Contains(op):
                    break;
                default:
                    throw new QuantizationException($"Operator {node.OpType} (node '{node.Name}') at opset {onnx.Version} is not one the quantizer can raise to opset {TargetOpset}.");
            }
        }

        onnx.Version = TargetOpset;
        model.IrVersion = Math.Max(model.IrVersion, 7);
    }

    /// <summary>Opset 13 moved Split's sizes from an attribute to an input.</summary>
    private static void UpgradeSplit(GraphProto graph, NodeProto node)
    {
        var split = node.Attribute.FirstOrDefault(a => a.Name == "split");
        if (split is null)
        {
            return;
        }

        var name = (node.Name.Length > 0 ? node.Name : node.Output[0]) + "/split_sizes";
        graph.Initializer.Add(TensorProtos.Int64(name, [.. split.Ints], split.Ints.Count));
        node.Attribute.Remove(split);
        node.Input.Add(name);
    }

    /// <summary>Opset 9 dropped "spatial" (always per channel from then on) and opset 7's "consumed_inputs" is long gone.</summary>
    private static void UpgradeBatchNorm(NodeProto node)
    {
        var spatial = node.Attribute.FirstOrDefault(a => a.Name == "spatial");
        if (spatial is not null)
        {
            if (spatial.I != 1)
            {
                throw new QuantizationException($"BatchNormalization '{node.Name}' uses spatial=0, which opset {TargetOpset} cannot express.");
            }

            node.Attribute.Remove(spatial);
        }
    }
}
