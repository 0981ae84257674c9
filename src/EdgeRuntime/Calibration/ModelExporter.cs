using System.Globalization;
using System.Text.Json;
using EdgeRuntime.Heads;
using EdgeRuntime.Models;
using EdgeRuntime.Preprocessing;
using EdgeRuntime.Training;
using Google.Protobuf;
using Onnx;

namespace EdgeRuntime.Calibration;

/// <summary>
/// Writes one self-contained ONNX model: the backbone's preprocessing graph, the backbone and a head, from the
/// manifest's input tensor (e.g. RGB planar 0..255, [N,3,224,224]) to class probabilities. Labels, threshold and the
/// input specification travel as metadata, so plain ONNX Runtime elsewhere gets the engine's probabilities.
/// </summary>
public static class ModelExporter
{
    public const string EmbeddingTensor = "embedding";

    /// <param name="manifest">The backbone the head was trained on.</param>
    /// <param name="head">A verified head version.</param>
    /// <param name="path">Output file; written to a temp file first and renamed.</param>
    /// <param name="unknownThreshold">Threshold recorded in the metadata; the head's own when null.</param>
    /// <param name="resize">How frames were resized to the input size for the head's embeddings, recorded in the metadata.</param>
    /// <exception cref="EdgeRuntimeException">The head was trained on a different backbone.</exception>
    public static void Export(BackboneManifest manifest, LoadedHead head, string path, double? unknownThreshold = null, ResizeMode resize = ResizeMode.CenterCrop)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(head);
        var prepared = BackboneGraph.Prepare(manifest);

        // Engine backbone hashes are "<first 32 hex digits of the content hash>-<resize mode>" (EmbeddingEngine):
        // a head only makes sense behind the backbone whose embeddings it was trained on.
        var contentHash = prepared.ContentHash[..32];
        if (!head.Manifest.BackboneHash.StartsWith(contentHash + "-", StringComparison.Ordinal))
        {
            throw new EdgeRuntimeException($"Head v{head.Version.ToString(CultureInfo.InvariantCulture)} was trained on backbone {head.Manifest.BackboneHash}, but '{manifest.ModelPath}' ({manifest.Name}) is {contentHash}: export it with the backbone it was trained on.");
        }

        var model = ModelProto.Parser.ParseFrom(prepared.Model);
        var graph = model.Graph;
        var opset = model.OpsetImport.First(o => o.Domain.Length == 0);
        // The exported file answers with probabilities as documented; the head's novelty nodes stay on the device.
        var headModel = ModelProto.Parser.ParseFrom(Novelty.NoveltyGraph.Detach(head.HeadOnnx.ToArray()));
        var headOpset = headModel.OpsetImport.First(o => o.Domain.Length == 0).Version;
        if (headOpset > opset.Version)
        {
            opset.Version = headOpset;
        }

        // The pooled map [N, D, 1, 1] becomes the [N, D] the head takes.
        graph.Node.Add(new NodeProto
        {
            Name = "export/flatten",
            OpType = "Flatten",
            Input = { prepared.OutputName },
            Output = { EmbeddingTensor },
            Attribute = { new AttributeProto { Name = "axis", I = 1, Type = AttributeProto.Types.AttributeType.Int } },
        });
        graph.Output.Clear();
        HeadGraphMerger.MergeInto(graph, headModel.Graph, EmbeddingTensor);
        graph.Output.Add(new ValueInfoProto { Name = EmbeddingTensor, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } } });

        var inv = CultureInfo.InvariantCulture;
        Metadata(model, "edgeruntime.labels", JsonSerializer.Serialize(head.Manifest.Labels));
        Metadata(model, "edgeruntime.unknown_threshold", (unknownThreshold ?? head.Manifest.UnknownThreshold).ToString("R", inv));
        Metadata(model, "edgeruntime.head_version", head.Version.ToString(inv));
        Metadata(model, "edgeruntime.backbone", manifest.Name);
        Metadata(model, "edgeruntime.backbone_hash", head.Manifest.BackboneHash);
        Metadata(model, "edgeruntime.input", JsonSerializer.Serialize(new { tensor = prepared.InputName, manifest.Input.Width, manifest.Input.Height, layout = manifest.Input.Layout.ToString(), order = manifest.Input.ChannelOrder.ToString(), manifest.Input.Scale, manifest.Input.Mean, manifest.Input.Std, resize = resize.ToString() }));

        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        Storage.AtomicFile.Replace(Storage.DiskFileSystem.Instance, full, model.WriteTo);
    }

    private static void Metadata(ModelProto model, string key, string value) =>
        model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
}
