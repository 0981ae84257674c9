using Onnx;

namespace EdgeRuntime.Training;

/// <summary>Splices an inference head graph behind a tensor of another graph (for backbone+head ONNX export).</summary>
public static class HeadGraphMerger
{
    /// <summary>
    /// Copies the nodes and initializers of <paramref name="head"/> (built by <see cref="InferenceHeadBuilder"/>)
    /// into <paramref name="target"/>, feeding the head from <paramref name="embeddingTensor"/> (an [N,D] float tensor
    /// of the target). Every head tensor and node name gets <paramref name="prefix"/>, except the head output, which
    /// is named <paramref name="outputName"/> and appended to the target's outputs. Head initializers are also listed
    /// as target inputs when the target itself lists its initializers as inputs (IR 3 style). The caller keeps the
    /// target's opset at or above 8 and within 8..21 for the head ops; existing target outputs are left in place.
    /// </summary>
    /// <returns>The name of the merged probabilities output.</returns>
    public static string MergeInto(GraphProto target, GraphProto head, string embeddingTensor, string prefix = "head/", string outputName = InferenceHeadBuilder.OutputName)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(head);
        ArgumentException.ThrowIfNullOrEmpty(embeddingTensor);
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        ArgumentException.ThrowIfNullOrEmpty(outputName);

        var produced = new HashSet<string>(target.Input.Select(i => i.Name), StringComparer.Ordinal);
        produced.UnionWith(target.Initializer.Select(i => i.Name));
        produced.UnionWith(target.Node.SelectMany(n => n.Output));
        if (!produced.Contains(embeddingTensor))
        {
            throw new EdgeRuntimeException($"Cannot attach the head: the target graph has no tensor named '{embeddingTensor}'.");
        }

        if (produced.Contains(outputName))
        {
            throw new EdgeRuntimeException($"Cannot attach the head: the target graph already has a tensor named '{outputName}'.");
        }

        var headOutput = head.Output.Single().Name;
        var headInput = InferenceHeadBuilder.InputName;
        string Rename(string name) =>
            name.Length == 0 ? name
            : string.Equals(name, headInput, StringComparison.Ordinal) ? embeddingTensor
            : string.Equals(name, headOutput, StringComparison.Ordinal) ? outputName
            : prefix + name;

        var clash = head.Node.SelectMany(n => n.Output).Concat(head.Initializer.Select(i => i.Name))
            .Where(n => !string.Equals(n, headOutput, StringComparison.Ordinal))
            .Select(Rename).FirstOrDefault(produced.Contains);
        if (clash is not null)
        {
            throw new EdgeRuntimeException($"Cannot attach the head: its tensor '{clash}' clashes with the target graph; choose another prefix.");
        }

        foreach (var node in head.Node)
        {
            var copy = node.Clone();
            copy.Name = prefix + node.Name;
            for (var i = 0; i < copy.Input.Count; i++)
            {
                copy.Input[i] = Rename(copy.Input[i]);
            }

            for (var i = 0; i < copy.Output.Count; i++)
            {
                copy.Output[i] = Rename(copy.Output[i]);
            }

            target.Node.Add(copy);
        }

        var targetListsInitializers = target.Initializer.Count > 0
            && target.Input.Any(i => target.Initializer.Any(t => string.Equals(t.Name, i.Name, StringComparison.Ordinal)));
        foreach (var initializer in head.Initializer)
        {
            var copy = initializer.Clone();
            copy.Name = Rename(initializer.Name);
            target.Initializer.Add(copy);
            if (targetListsInitializers)
            {
                target.Input.Add(GraphWriter.ValueInfo(copy.Name, copy.DataType, [.. copy.Dims.Cast<object>()]));
            }
        }

        var output = head.Output.Single().Clone();
        output.Name = outputName;
        target.Output.Add(output);
        return outputName;
    }
}
