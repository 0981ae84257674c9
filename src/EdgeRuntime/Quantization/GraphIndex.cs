using Onnx;

namespace EdgeRuntime.Quantization;

/// <summary>Who reads which tensor, and clean-up of initializers no node reads any more.</summary>
internal static class GraphIndex
{
    public static Dictionary<string, List<NodeProto>> Consumers(GraphProto graph)
    {
        var map = new Dictionary<string, List<NodeProto>>(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            foreach (var output in node.Output)
            {
                map.TryAdd(output, []);
            }
        }

        foreach (var input in graph.Input)
        {
            map.TryAdd(input.Name, []);
        }

        foreach (var node in graph.Node)
        {
            foreach (var input in node.Input.Where(i => i.Length > 0).Distinct(StringComparer.Ordinal))
            {
                if (!map.TryGetValue(input, out var list))
                {
                    map[input] = list = [];
                }

                list.Add(node);
            }
        }

        return map;
    }

    public static void PruneInitializers(GraphProto graph)
    {
        var used = graph.Node.SelectMany(n => n.Input).Concat(graph.Output.Select(o => o.Name)).ToHashSet(StringComparer.Ordinal);
        var pruned = graph.Initializer.Where(i => !used.Contains(i.Name)).ToList();
        foreach (var unused in pruned)
        {
            graph.Initializer.Remove(unused);
        }

        // Old IR versions list initializers among the graph inputs; a pruned initializer must leave that list too.
        var names = pruned.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var stale in graph.Input.Where(i => names.Contains(i.Name)).ToList())
        {
            graph.Input.Remove(stale);
        }
    }
}
