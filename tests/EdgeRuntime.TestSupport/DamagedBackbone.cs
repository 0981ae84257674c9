using System.Text.Json.Nodes;
using EdgeRuntime.Models;

namespace EdgeRuntime.TestSupport;

/// <summary>
/// A copy of the shipped backbone with one weight byte changed, under the shipped manifest (and its sha256): still a
/// parseable, runnable model, so only the hash tells it from the real one.
/// </summary>
public static class DamagedBackbone
{
    /// <summary>Writes the damaged copy and its manifest into <paramref name="directory"/>; returns the manifest path.</summary>
    public static string Write(string directory)
    {
        var shipped = BackboneManifest.Load(BackboneManifest.DefaultPath);
        var model = File.ReadAllBytes(shipped.ModelPath);

        // Deep in the weight initialisers, far from any protobuf framing.
        model[model.Length / 2] ^= 0x01;
        var modelPath = Path.Combine(directory, "ResNet18.onnx");
        File.WriteAllBytes(modelPath, model);

        var json = JsonNode.Parse(File.ReadAllText(BackboneManifest.DefaultPath))!;
        json["model"] = modelPath;
        json["preprocessingGraph"]!["file"] = shipped.PreprocessingGraphPath;
        var manifestPath = Path.Combine(directory, "damaged.json");
        File.WriteAllText(manifestPath, json.ToJsonString());
        return manifestPath;
    }
}
