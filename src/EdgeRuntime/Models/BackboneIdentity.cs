using System.Security.Cryptography;
using Google.Protobuf;
using Onnx;

namespace EdgeRuntime.Models;

/// <summary>
/// What the engine needs to know about a backbone when it runs another model in its place (the cached int8 one):
/// tensor names, whether the batch was fixed, and the content hash that keys the int8 cache and the embeddings.
/// Read without preparing the graph: parsing and re-serialising a ResNet-18 holds its weights three times over,
/// which was the service's start-up memory peak when the fp32 graph was not going to run at all.
/// </summary>
/// <param name="InputName">Tensor the engine feeds (the preprocessing graph's input when there is one).</param>
/// <param name="OutputName">The embedding tensor.</param>
/// <param name="BatchWasFixed">True when the file has a fixed batch dimension (made dynamic when prepared).</param>
/// <param name="ContentHash">The same hash <see cref="BackboneGraph.Prepare"/> reports.</param>
public sealed record BackboneIdentity(string InputName, string OutputName, bool BatchWasFixed, string ContentHash)
{
    private const int ModelGraphField = 7;
    private const int GraphInputField = 11;

    /// <summary>Streams the model file once for both hashes and once for its graph inputs, skipping the weights.</summary>
    /// <exception cref="ManifestException">A file does not match its manifest hash.</exception>
    public static BackboneIdentity Of(BackboneManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        using var file = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var content = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        using (var stream = File.OpenRead(manifest.ModelPath))
        {
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                file.AppendData(buffer, 0, read);
                content.AppendData(buffer, 0, read);
            }
        }

        BackboneGraph.Verify(Convert.ToHexStringLower(file.GetHashAndReset()), manifest.Sha256, manifest.ModelPath, "sha256");
        bool batchWasFixed = FixedBatch(ReadInput(manifest.ModelPath, manifest.Input.Name));
        var inputName = manifest.Input.Name;
        if (manifest.PreprocessingGraph is { } spec)
        {
            var pre = File.ReadAllBytes(manifest.PreprocessingGraphPath!);
            BackboneGraph.Verify(Convert.ToHexStringLower(SHA256.HashData(pre)), spec.Sha256, manifest.PreprocessingGraphPath!, "preprocessingGraph.sha256");
            content.AppendData(pre);
            batchWasFixed |= FixedBatch(ModelProto.Parser.ParseFrom(pre).Graph.Input.FirstOrDefault(i => i.Name == spec.Input));
            inputName = spec.Input;
        }

        content.AppendData(BackboneGraph.SpecBytes(manifest.Input));
        return new BackboneIdentity(inputName, manifest.Embedding.Output, batchWasFixed, Convert.ToHexStringLower(content.GetHashAndReset()));
    }

    private static bool FixedBatch(ValueInfoProto? input) => input?.Type?.TensorType?.Shape?.Dim is { Count: > 0 } dims && dims[0].DimValue > 0;

    /// <summary>The graph input named <paramref name="name"/>, read field by field so initializers are skipped, not loaded.</summary>
    private static ValueInfoProto? ReadInput(string path, string name)
    {
        using var stream = File.OpenRead(path);
        using var input = new CodedInputStream(stream);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) != ModelGraphField || WireFormat.GetTagWireType(tag) != WireFormat.WireType.LengthDelimited)
            {
                input.SkipLastField();
                continue;
            }

            int length = input.ReadLength();
            long end = input.Position + length;
            while (input.Position < end && (tag = input.ReadTag()) != 0)
            {
                if (WireFormat.GetTagFieldNumber(tag) == GraphInputField && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
                {
                    var value = new ValueInfoProto();
                    input.ReadMessage(value);
                    if (value.Name == name)
                    {
                        return value;
                    }
                }
                else
                {
                    input.SkipLastField();
                }
            }
        }

        return null;
    }
}
