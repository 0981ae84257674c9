using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Onnx;

namespace EdgeRuntime.Models;

/// <summary>
/// Validates a backbone file against its manifest and rewrites it for the engine: a fixed batch dimension becomes
/// dynamic so frames can be embedded in batches, only the embedding output is kept, and the manifest's preprocessing
/// graph is merged in front so one session does both (one launch, no intermediate copy).
/// </summary>
public static class BackboneGraph
{
    private const string BatchParam = "batch";
    private const string PreprocessPrefix = "preprocess/";

    /// <exception cref="ManifestException">The model does not match the manifest; the message says exactly where.</exception>
    public static PreparedBackbone Prepare(BackboneManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var modelBytes = File.ReadAllBytes(manifest.ModelPath);
        Verify(modelBytes, manifest.Sha256, manifest.ModelPath, "sha256");
        var model = Parse(modelBytes, manifest.ModelPath);
        var graph = model.Graph;
        var fileName = Path.GetFileName(manifest.ModelPath);

        var input = FindInput(graph, manifest.Input.Name, fileName, "input.name");
        bool batchWasFixed = CheckImageInput(input, manifest.Input, fileName, "input.name");
        EnsureOutput(graph, manifest.Embedding.Output, fileName);

        byte[]? preBytes = null;
        var fedInput = manifest.Input.Name;
        if (manifest.PreprocessingGraph is { } spec)
        {
            preBytes = File.ReadAllBytes(manifest.PreprocessingGraphPath!);
            Verify(preBytes, spec.Sha256, manifest.PreprocessingGraphPath!, "preprocessingGraph.sha256");
            var pre = Parse(preBytes, manifest.PreprocessingGraphPath!);
            var preName = Path.GetFileName(manifest.PreprocessingGraphPath!);
            var preInput = FindInput(pre.Graph, spec.Input, preName, "preprocessingGraph.input");
            batchWasFixed |= CheckImageInput(preInput, manifest.Input, preName, "preprocessingGraph.input");
            if (!pre.Graph.Output.Any(o => o.Name == spec.Output))
            {
                throw new ManifestException($"Manifest 'preprocessingGraph.output' is '{spec.Output}' but {preName} outputs {Names(pre.Graph.Output)}.");
            }

            MergeInFront(model, pre, spec, manifest.Input.Name);
            fedInput = spec.Input;
        }

        graph.Output.Clear();
        graph.Output.Add(new ValueInfoProto { Name = manifest.Embedding.Output, Type = FloatTensorType() });
        MakeBatchDynamic(graph, fedInput);

        return new PreparedBackbone(model.ToByteArray(), fedInput, manifest.Embedding.Output, batchWasFixed, Hash(modelBytes, preBytes, manifest.Input));
    }

    private static ModelProto Parse(byte[] bytes, string path)
    {
        try
        {
            var model = ModelProto.Parser.ParseFrom(bytes);
            if (model.Graph is null || model.Graph.Node.Count == 0)
            {
                throw new ManifestException($"'{path}' holds no ONNX graph.");
            }

            return model;
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new ManifestException($"'{path}' is not an ONNX model: {ex.Message}", ex);
        }
    }

    private static ValueInfoProto FindInput(GraphProto graph, string name, string file, string key)
    {
        var initializers = graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var real = graph.Input.Where(i => !initializers.Contains(i.Name)).ToList();
        return real.FirstOrDefault(i => i.Name == name)
            ?? throw new ManifestException($"Manifest '{key}' is '{name}' but {file} has inputs {Names(real)}.");
    }

    /// <returns>True when the batch dimension was fixed.</returns>
    private static bool CheckImageInput(ValueInfoProto input, InputSpec spec, string file, string key)
    {
        var tensor = input.Type?.TensorType;
        if (tensor is null || tensor.ElemType != (int)TensorProto.Types.DataType.Float)
        {
            throw new ManifestException($"{file} input '{input.Name}' ({key}) must be a float tensor.");
        }

        var dims = tensor.Shape?.Dim;
        if (dims is null || dims.Count != 4)
        {
            throw new ManifestException($"{file} input '{input.Name}' ({key}) must have rank 4 ({spec.Layout}), not {dims?.Count ?? 0}.");
        }

        var (c, h, w) = spec.Layout == TensorLayout.Nchw ? (dims[1], dims[2], dims[3]) : (dims[3], dims[1], dims[2]);
        Expect(c, 3, file, input.Name, "channels", "3 (colour images)");
        Expect(h, spec.Height, file, input.Name, "height", $"input.height {spec.Height}");
        Expect(w, spec.Width, file, input.Name, "width", $"input.width {spec.Width}");
        return dims[0].DimValue > 0;
    }

    private static void Expect(TensorShapeProto.Types.Dimension dim, int expected, string file, string input, string what, string manifestSays)
    {
        if (dim.DimValue > 0 && dim.DimValue != expected)
        {
            throw new ManifestException($"The manifest says {manifestSays} but {file} input '{input}' has {what} {dim.DimValue}.");
        }
    }

    private static void EnsureOutput(GraphProto graph, string name, string file)
    {
        if (graph.Output.Any(o => o.Name == name) || graph.Node.Any(n => n.Output.Contains(name)))
        {
            return;
        }

        throw new ManifestException($"Manifest 'embedding.output' is '{name}' but {file} has no such tensor; its outputs are {Names(graph.Output)}.");
    }

    private static void MergeInFront(ModelProto backbone, ModelProto pre, PreprocessingGraphSpec spec, string backboneInput)
    {
        var opset = backbone.OpsetImport.FirstOrDefault(o => o.Domain.Length == 0)?.Version;
        var preOpset = pre.OpsetImport.FirstOrDefault(o => o.Domain.Length == 0)?.Version;
        if (opset != preOpset)
        {
            throw new ManifestException($"The preprocessing graph uses opset {preOpset} but the backbone uses opset {opset}; they must match to run as one graph.");
        }

        string Rename(string n) => n.Length == 0 || n == spec.Input ? n : PreprocessPrefix + n;
        var graph = backbone.Graph;
        var nodes = new List<NodeProto>();
        foreach (var node in pre.Graph.Node)
        {
            var copy = node.Clone();
            copy.Name = copy.Name.Length == 0 ? "" : PreprocessPrefix + copy.Name;
            for (int i = 0; i < copy.Input.Count; i++)
            {
                copy.Input[i] = Rename(copy.Input[i]);
            }

            for (int i = 0; i < copy.Output.Count; i++)
            {
                copy.Output[i] = Rename(copy.Output[i]);
            }

            nodes.Add(copy);
        }

        var fed = Rename(spec.Output);
        foreach (var node in graph.Node)
        {
            for (int i = 0; i < node.Input.Count; i++)
            {
                if (node.Input[i] == backboneInput)
                {
                    node.Input[i] = fed;
                }
            }
        }

        foreach (var init in pre.Graph.Initializer)
        {
            var copy = init.Clone();
            copy.Name = Rename(copy.Name);
            graph.Initializer.Add(copy);
        }

        nodes.AddRange(graph.Node);
        graph.Node.Clear();
        graph.Node.AddRange(nodes);
        var oldInput = graph.Input.First(i => i.Name == backboneInput);
        graph.Input.Remove(oldInput);
        graph.Input.Insert(0, pre.Graph.Input.First(i => i.Name == spec.Input).Clone());
    }

    private static void MakeBatchDynamic(GraphProto graph, string inputName)
    {
        var input = graph.Input.First(i => i.Name == inputName);
        input.Type.TensorType.Shape.Dim[0] = new TensorShapeProto.Types.Dimension { DimParam = BatchParam };

        // Intermediate shapes recorded with batch 1 would contradict the new dynamic batch; ONNX Runtime re-infers them.
        graph.ValueInfo.Clear();
    }

    private static TypeProto FloatTensorType() =>
        new() { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } };

    private static string Names(IEnumerable<ValueInfoProto> values) =>
        "[" + string.Join(", ", values.Select(v => $"'{v.Name}'")) + "]";

    private static void Verify(byte[] bytes, string? expected, string path, string key)
    {
        if (expected is not null)
        {
            Verify(Convert.ToHexStringLower(SHA256.HashData(bytes)), expected, path, key);
        }
    }

    internal static void Verify(string actual, string? expected, string path, string key)
    {
        if (expected is not null && !string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
        {
            throw new ManifestException(
                $"Backbone file '{path}' is damaged or was replaced: its SHA-256 is {actual}, the manifest's '{key}' says {expected.ToLowerInvariant()}. "
                + "Reinstall the model; the backbone was not loaded, so no head was refused and no image re-embedded.");
        }
    }

    private static string Hash(byte[] model, byte[]? pre, InputSpec spec)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(model);
        if (pre is not null)
        {
            sha.AppendData(pre);
        }

        sha.AppendData(SpecBytes(spec));
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>The input specification's part of the content hash.</summary>
    internal static byte[] SpecBytes(InputSpec spec)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        return Encoding.UTF8.GetBytes(string.Join('|',
            spec.Width.ToString(inv), spec.Height.ToString(inv), spec.Layout, spec.ChannelOrder, spec.Scale.ToString("R", inv),
            string.Join(',', spec.Mean.Select(m => m.ToString("R", inv))), string.Join(',', spec.Std.Select(s => s.ToString("R", inv)))));
    }
}
