using Onnx;

namespace EdgeRuntime.Quantization;

/// <summary>
/// Which tensors of an fp32 graph get a QuantizeLinear/DequantizeLinear pair: the input and the output of every Conv,
/// both inputs and the output of every residual Add, and MaxPool (which shares its input's scale so ONNX Runtime runs it
/// on uint8 directly). A Relu that is the only reader of a Conv or Add output is absorbed: the quantized output is taken
/// after it, with zero point 0, so the uint8 clamp performs the Relu and ONNX Runtime sees Conv→Q and fuses QLinearConv.
/// </summary>
internal sealed class QuantizationPlan
{
    private QuantizationPlan(List<string> tensors, Dictionary<string, NodeProto> fusedRelu, Dictionary<string, string> sharedWith)
    {
        Tensors = tensors;
        FusedRelu = fusedRelu;
        SharedWith = sharedWith;
    }

    /// <summary>Tensors that get a Q/DQ pair, in graph order.</summary>
    public IReadOnlyList<string> Tensors { get; }

    /// <summary>Relu output → the Relu absorbed into the quantization of that tensor.</summary>
    public IReadOnlyDictionary<string, NodeProto> FusedRelu { get; }

    /// <summary>MaxPool output → its input, whose scale and zero point it must reuse.</summary>
    public IReadOnlyDictionary<string, string> SharedWith { get; }

    /// <summary>Tensors whose range calibration must measure (all but those sharing another's range).</summary>
    public IEnumerable<string> CalibratedTensors => Tensors.Where(t => !SharedWith.ContainsKey(t));

    public static QuantizationPlan For(GraphProto graph)
    {
        var consumers = GraphIndex.Consumers(graph);
        var outputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var initializers = graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var tensors = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var fused = new Dictionary<string, NodeProto>(StringComparer.Ordinal);
        var shared = new Dictionary<string, string>(StringComparer.Ordinal);

        void Take(string tensor)
        {
            if (seen.Add(tensor))
            {
                tensors.Add(tensor);
            }
        }

        string Effective(string output)
        {
            if (!outputs.Contains(output) && consumers.TryGetValue(output, out var readers) && readers.Count == 1
                && readers[0].OpType == "Relu" && !outputs.Contains(readers[0].Output[0]))
            {
                fused[readers[0].Output[0]] = readers[0];
                return readers[0].Output[0];
            }

            return output;
        }

        foreach (var node in graph.Node)
        {
            switch (node.OpType)
            {
                case "Conv" when node.Input.Count >= 2 && initializers.Contains(node.Input[1]) && !initializers.Contains(node.Input[0])
                                 && (node.Input.Count < 3 || node.Input[2].Length == 0 || initializers.Contains(node.Input[2])):
                    Take(node.Input[0]);
                    Take(Effective(node.Output[0]));
                    break;
                case "Add" when node.Input.Count == 2 && !node.Input.Any(initializers.Contains):
                    Take(node.Input[0]);
                    Take(node.Input[1]);
                    Take(Effective(node.Output[0]));
                    break;
                case "MaxPool" when node.Output.Count == 1 && seen.Contains(node.Input[0]) && !outputs.Contains(node.Output[0]):
                    Take(node.Output[0]);
                    shared[node.Output[0]] = shared.GetValueOrDefault(node.Input[0], node.Input[0]);
                    break;
            }
        }

        return new QuantizationPlan(tensors, fused, shared);
    }
}
