using Onnx;

namespace EdgeRuntime.Quantization;

/// <summary>
/// Folds every BatchNormalization that directly follows a Conv into that Conv's weights and bias, so the int8
/// convolution carries the normalisation and no fp32 BatchNormalization is left between quantized layers.
/// </summary>
internal static class BatchNormFolding
{
    /// <returns>The number of BatchNormalization nodes folded.</returns>
    public static int Apply(GraphProto graph)
    {
        var initializers = graph.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var consumers = GraphIndex.Consumers(graph);
        var outputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var producers = graph.Node.Where(n => n.OpType == "Conv").ToDictionary(n => n.Output[0], StringComparer.Ordinal);
        var removed = new List<NodeProto>();
        foreach (var bn in graph.Node.Where(n => n.OpType == "BatchNormalization").ToList())
        {
            if (!producers.TryGetValue(bn.Input[0], out var conv) || outputs.Contains(conv.Output[0]) || consumers[conv.Output[0]].Count != 1
                || bn.Output.Count > 1 && bn.Output.Skip(1).Any(o => o.Length > 0)
                || !bn.Input.Skip(1).All(initializers.ContainsKey) || !initializers.ContainsKey(conv.Input[1])
                || conv.Input.Count > 2 && !initializers.ContainsKey(conv.Input[2]))
            {
                continue;
            }

            var weightTensor = initializers[conv.Input[1]];
            var weights = TensorProtos.ReadFloats(weightTensor);
            var dims = TensorProtos.Dims(weightTensor);
            int channels = (int)dims[0], perChannel = weights.Length / channels;
            var gamma = TensorProtos.ReadFloats(initializers[bn.Input[1]]);
            var beta = TensorProtos.ReadFloats(initializers[bn.Input[2]]);
            var mean = TensorProtos.ReadFloats(initializers[bn.Input[3]]);
            var variance = TensorProtos.ReadFloats(initializers[bn.Input[4]]);
            var epsilon = bn.Attribute.FirstOrDefault(a => a.Name == "epsilon")?.F ?? 1e-5f;
            var bias = conv.Input.Count > 2 && conv.Input[2].Length > 0 ? TensorProtos.ReadFloats(initializers[conv.Input[2]]) : new float[channels];
            if (gamma.Length != channels || beta.Length != channels || mean.Length != channels || variance.Length != channels || bias.Length != channels)
            {
                continue;
            }

            for (int c = 0; c < channels; c++)
            {
                double factor = gamma[c] / Math.Sqrt(variance[c] + (double)epsilon);
                for (int k = 0; k < perChannel; k++)
                {
                    weights[(c * perChannel) + k] = (float)(weights[(c * perChannel) + k] * factor);
                }

                bias[c] = (float)(((bias[c] - mean[c]) * factor) + beta[c]);
            }

            var weightName = conv.Input[1] + "/bn_folded";
            var biasName = conv.Output[0] + "/bn_folded_bias";
            graph.Initializer.Add(TensorProtos.Floats(weightName, weights, dims));
            graph.Initializer.Add(TensorProtos.Floats(biasName, bias, channels));
            conv.Input[1] = weightName;
            if (conv.Input.Count > 2)
            {
                conv.Input[2] = biasName;
            }
            else
            {
                conv.Input.Add(biasName);
            }

            conv.Output[0] = bn.Output[0];
            removed.Add(bn);
        }

        foreach (var bn in removed)
        {
            graph.Node.Remove(bn);
        }

        GraphIndex.PruneInitializers(graph);
        return removed.Count;
    }
}
