using Onnx;

namespace EdgeRuntime.Quantization;

/// <summary>
/// Rewrites a BatchNorm-folded fp32 graph (opset 13) into QDQ form: uint8 activations with the calibrated scales on
/// every tensor of the <see cref="QuantizationPlan"/>, per-channel symmetric int8 Conv weights and int32 biases behind
/// DequantizeLinear. ONNX Runtime's graph optimiser then fuses DQ→Conv→Q into QLinearConv, DQ→Add→Q into QLinearAdd
/// and runs MaxPool on uint8; whatever it cannot fuse still runs correctly in fp32.
/// </summary>
internal static class QdqGraphBuilder
{
    /// <param name="weights">How the Conv weights are stored (<see cref="WeightRange"/> says which this CPU wants).</param>
    public static ModelProto Build(ModelProto folded, QuantizationPlan plan, IReadOnlyDictionary<string, (float Low, float High)> ranges, WeightEncoding weights = WeightEncoding.Int8)
    {
        var model = folded.Clone();
        var graph = model.Graph;
        var initializers = graph.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var parameters = new Dictionary<string, (float Scale, byte ZeroPoint)>(StringComparer.Ordinal);
        foreach (var tensor in plan.Tensors)
        {
            var source = plan.SharedWith.GetValueOrDefault(tensor, tensor);
            if (ranges.TryGetValue(source, out var range))
            {
                parameters[tensor] = ActivationParameters(range, plan.FusedRelu.ContainsKey(source) || plan.FusedRelu.ContainsKey(tensor));
            }
        }

        // Readers of a quantized tensor read its DequantizeLinear output instead; the Q itself reads the original.
        var renamed = parameters.Keys.ToDictionary(t => t, t => t + "/dq", StringComparer.Ordinal);
        var pending = new Dictionary<string, List<NodeProto>>(StringComparer.Ordinal);
        foreach (var (tensor, (scale, zeroPoint)) in parameters)
        {
            var source = plan.FusedRelu.TryGetValue(tensor, out var relu) ? relu.Input[0] : tensor;
            graph.Initializer.Add(TensorProtos.Floats(tensor + "/scale", [scale]));
            graph.Initializer.Add(TensorProtos.UInt8(tensor + "/zero_point", zeroPoint));
            var q = Node("QuantizeLinear", tensor + "/quantize", [source, tensor + "/scale", tensor + "/zero_point"], tensor + "/q");
            var dq = Node("DequantizeLinear", tensor + "/dequantize", [tensor + "/q", tensor + "/scale", tensor + "/zero_point"], tensor + "/dq");
            if (!pending.TryGetValue(source, out var list))
            {
                pending[source] = list = [];
            }

            list.Add(q);
            list.Add(dq);
        }

        var nodes = new List<NodeProto>();
        foreach (var input in graph.Input.Where(i => pending.ContainsKey(i.Name)))
        {
            nodes.AddRange(pending[input.Name]);
        }

        var fusedRelus = plan.FusedRelu.Where(f => parameters.ContainsKey(f.Key)).Select(f => f.Value.Output[0]).ToHashSet(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            if (node.OpType == "Relu" && fusedRelus.Contains(node.Output[0]))
            {
                continue;
            }

            for (int i = 0; i < node.Input.Count; i++)
            {
                if (renamed.TryGetValue(node.Input[i], out var dq))
                {
                    node.Input[i] = dq;
                }
            }

            if (node.OpType == "Conv" && parameters.TryGetValue(OriginalInput(node, renamed), out var input))
            {
                nodes.AddRange(QuantizeWeights(graph, node, initializers, input.Scale, weights));
            }

            nodes.Add(node);
            foreach (var output in node.Output)
            {
                if (pending.TryGetValue(output, out var qdq))
                {
                    nodes.AddRange(qdq);
                }
            }
        }

        graph.Node.Clear();
        graph.Node.AddRange(nodes);
        GraphIndex.PruneInitializers(graph);
        return model;
    }

    /// <summary>uint8 asymmetric: the range is widened to contain 0 so zero (padding, Relu) is exact.</summary>
    internal static (float Scale, byte ZeroPoint) ActivationParameters((float Low, float High) range, bool afterRelu)
    {
        double low = afterRelu ? 0 : Math.Min(range.Low, 0f), high = Math.Max(range.High, 0f);
        if (high - low < 1e-8)
        {
            high = low + 1e-8;
        }

        double scale = (high - low) / 255;
        var zeroPoint = (byte)Math.Clamp(Math.Round(-low / scale), 0, 255);
        return ((float)scale, zeroPoint);
    }

    private static string OriginalInput(NodeProto conv, Dictionary<string, string> renamed)
    {
        var name = conv.Input[0];
        return name.EndsWith("/dq", StringComparison.Ordinal) && renamed.ContainsKey(name[..^3]) ? name[..^3] : name;
    }

    private static IEnumerable<NodeProto> QuantizeWeights(GraphProto graph, NodeProto conv, Dictionary<string, TensorProto> initializers, float inputScale, WeightEncoding encoding)
    {
        var prefix = conv.Output[0] + "/weight";
        var tensor = initializers[conv.Input[1]];
        var weights = TensorProtos.ReadFloats(tensor);
        var dims = TensorProtos.Dims(tensor);
        int channels = (int)dims[0], perChannel = weights.Length / channels;
        var scales = new float[channels];
        var limit = WeightRange.Levels(encoding);
        var quantized = new sbyte[weights.Length];
        for (int c = 0; c < channels; c++)
        {
            var row = weights.AsSpan(c * perChannel, perChannel);
            float max = 0;
            foreach (var w in row)
            {
                max = MathF.Max(max, MathF.Abs(w));
            }

            // Symmetric: zero point 0 (128 for uint8), [-limit, limit] so the range is the same on both sides.
            scales[c] = max > 0 ? max / limit : 1f;
            for (int k = 0; k < perChannel; k++)
            {
                quantized[(c * perChannel) + k] = (sbyte)Math.Clamp(MathF.Round(row[k] / scales[c]), -limit, limit);
            }
        }

        if (encoding == WeightEncoding.UInt8Offset)
        {
            var bytes = new byte[quantized.Length];
            for (int k = 0; k < bytes.Length; k++)
            {
                bytes[k] = (byte)(quantized[k] + 128);
            }

            var zeroPoints = new byte[channels];
            Array.Fill(zeroPoints, (byte)128);
            graph.Initializer.Add(TensorProtos.UInt8(prefix + "/int8", bytes, dims));
            graph.Initializer.Add(TensorProtos.UInt8(prefix + "/zero_point", zeroPoints, channels));
        }
        else
        {
            graph.Initializer.Add(TensorProtos.Int8(prefix + "/int8", quantized, dims));
            graph.Initializer.Add(TensorProtos.Int8(prefix + "/zero_point", new sbyte[channels], channels));
        }

        graph.Initializer.Add(TensorProtos.Floats(prefix + "/scale", scales, channels));
        var weightDq = Node("DequantizeLinear", prefix + "/dequantize", [prefix + "/int8", prefix + "/scale", prefix + "/zero_point"], prefix + "/dq");
        weightDq.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 0 });
        conv.Input[1] = prefix + "/dq";
        yield return weightDq;

        if (conv.Input.Count > 2 && conv.Input[2].Length > 0)
        {
            // The bias is added to the int32 accumulator, whose scale is input scale x weight scale per channel.
            var biasPrefix = conv.Output[0] + "/bias";
            var bias = TensorProtos.ReadFloats(initializers[conv.Input[2]]);
            var biasScales = new float[channels];
            var biasQuantized = new int[channels];
            for (int c = 0; c < channels; c++)
            {
                biasScales[c] = inputScale * scales[c];
                biasQuantized[c] = (int)Math.Clamp(Math.Round(bias[c] / (double)biasScales[c]), int.MinValue, int.MaxValue);
            }

            graph.Initializer.Add(TensorProtos.Int32(biasPrefix + "/int32", biasQuantized, channels));
            graph.Initializer.Add(TensorProtos.Floats(biasPrefix + "/scale", biasScales, channels));
            graph.Initializer.Add(TensorProtos.Int32(biasPrefix + "/zero_point", new int[channels], channels));
            var biasDq = Node("DequantizeLinear", biasPrefix + "/dequantize", [biasPrefix + "/int32", biasPrefix + "/scale", biasPrefix + "/zero_point"], biasPrefix + "/dq");
            biasDq.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 0 });
            conv.Input[2] = biasPrefix + "/dq";
            yield return biasDq;
        }
    }

    private static NodeProto Node(string op, string name, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }
}
