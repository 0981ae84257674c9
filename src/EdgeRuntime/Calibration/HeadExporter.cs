using EdgeRuntime.Embeddings;
using EdgeRuntime.Heads;
using Microsoft.Extensions.Logging;

namespace EdgeRuntime.Calibration;

/// <summary>The active head exported behind its backbone as one ONNX file. Borrows the registry and the engine.</summary>
internal sealed class HeadExporter(HeadRegistry registry, EmbeddingEngine engine, CalibrationOptions options, ILogger logger)
{
    /// <summary>Writes one ONNX file (preprocessing graph + backbone + active head) that plain ONNX Runtime can run.</summary>
    /// <exception cref="EdgeRuntimeException">No head is active, or the head was trained on another backbone than the manifest's.</exception>
    public int Export(string path, string backboneManifestPath)
    {
        var resolution = registry.ResolveActive();
        var head = resolution.Head ?? throw new EdgeRuntimeException("No head is active yet: nothing to export.");
        if (resolution.FellBack)
        {
            logger.LogWarning("Active head v{Active} is refused; exporting v{Version} instead", resolution.ActiveVersion, head.Version);
        }

        // The threshold the device applies (an override wins over the head's own), so the file answers as the device does.
        var threshold = options.UnknownThreshold ?? head.Manifest.UnknownThreshold;
        ModelExporter.Export(Models.BackboneManifest.Load(backboneManifestPath), head, path, threshold, engine.Info.Resize);
        logger.LogInformation("Exported backbone and head v{Version} to {Path}", head.Version, path);
        return head.Version;
    }
}
