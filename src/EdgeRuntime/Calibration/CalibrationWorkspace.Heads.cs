using EdgeRuntime.Evaluation;
using EdgeRuntime.Heads;
using EdgeRuntime.Inference;
using EdgeRuntime.Training;
using Microsoft.Extensions.Logging;

namespace EdgeRuntime.Calibration;

public sealed partial class CalibrationWorkspace
{
    /// <summary>
    /// A classifier for the active head, or null when there is none (or none trained for this backbone). A corrupt
    /// active head is refused and the previous valid version used; <paramref name="problems"/> says so.
    /// The caller owns the classifier.
    /// </summary>
    public HeadClassifier? LoadActiveClassifier(out IReadOnlyList<string> problems)
    {
        var resolution = Registry.ResolveActive();
        var messages = resolution.Refused.Select(r => r.Message).ToList();
        if (resolution.FellBack)
        {
            messages.Add($"Active head v{resolution.ActiveVersion} could not be loaded; running v{resolution.Head!.Version} instead.");
        }

        problems = messages;
        if (resolution.Head is not { } head)
        {
            return null;
        }

        if (head.Manifest.BackboneHash != _engine.BackboneHash)
        {
            messages.Add($"Head v{head.Version} was trained for another backbone ({head.Manifest.BackboneHash}); train a new head.");
            return null;
        }

        var threshold = _options.UnknownThreshold ?? head.Manifest.UnknownThreshold;
        return new HeadClassifier(head.HeadOnnx.ToArray(), head.Manifest.Labels, head.Manifest.EmbeddingDimension, (float)threshold, head.Version, _sessions);
    }

    /// <summary>Classifies image files with the active head.</summary>
    /// <exception cref="EdgeRuntimeException">No head is active yet.</exception>
    public IReadOnlyList<(string File, Prediction? Prediction, string? Error)> Predict(IReadOnlyList<string> files, int topK, CancellationToken cancellationToken = default)
    {
        using var head = LoadActiveClassifier(out _) ?? throw new EdgeRuntimeException("No head is active yet: import samples and train first.");
        var embedded = _engine.EmbedFiles(files, null, cancellationToken);
        var results = embedded.Succeeded
            .Select(e => (e.Name, (Prediction?)head.Classify(e.Embedding, topK, DateTimeOffset.UtcNow, TimeSpan.Zero), (string?)null))
            .Concat(embedded.Failed.Select(f => (f.Name, (Prediction?)null, (string?)f.Reason)));
        var order = files.Select((f, i) => (f, i)).ToDictionary(p => p.f, p => p.i, StringComparer.Ordinal);
        return [.. results.OrderBy(r => order.GetValueOrDefault(r.Name))];
    }

    /// <summary>Scores the active head on a labelled ImageFolder (folder/&lt;label&gt;/images), unknowns counted as wrong.</summary>
    public (int Version, ClassificationMetrics Metrics, IReadOnlyList<string> Failures) EvaluateFolder(string folder, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(folder))
        {
            throw new EdgeRuntimeException($"Evaluation folder '{folder}' does not exist.");
        }

        using var head = LoadActiveClassifier(out _) ?? throw new EdgeRuntimeException("No head is active yet: import samples and train first.");
        var files = Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal)
            .SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories)
                .Where(f => ImageFileExtensions.Contains(Path.GetExtension(f))).Order(StringComparer.Ordinal)
                .Select(f => (File: f, Label: Path.GetFileName(d))))
            .ToList();
        var embedded = _engine.EmbedFiles([.. files.Select(f => f.File)], null, cancellationToken);
        var labelOf = files.ToDictionary(f => f.File, f => f.Label, StringComparer.Ordinal);
        var names = head.Labels.Concat(files.Select(f => f.Label).Distinct().Where(l => !head.Labels.Contains(l))).ToList();
        var truth = new List<int>();
        var predicted = new List<int>();
        var scores = new float[head.Labels.Count];
        foreach (var item in embedded.Succeeded)
        {
            head.Probabilities(item.Embedding, scores);
            int best = Array.IndexOf(scores, scores.Max());
            truth.Add(names.IndexOf(labelOf[item.Name]));
            predicted.Add(scores[best] < head.UnknownThreshold ? -1 : best);
        }

        return (head.Version, ClassificationMetrics.Compute(truth, predicted, names), [.. embedded.Failed.Select(f => $"{f.Name}: {f.Reason}")]);
    }

    /// <summary>Writes one ONNX file (preprocessing graph + backbone + active head) that plain ONNX Runtime can run.</summary>
    public int Export(string path, string backboneManifestPath)
    {
        var resolution = Registry.ResolveActive();
        var head = resolution.Head ?? throw new EdgeRuntimeException("No head is active yet: nothing to export.");
        ModelExporter.Export(Models.BackboneManifest.Load(backboneManifestPath), head, path);
        _logger.LogInformation("Exported backbone and head v{Version} to {Path}", head.Version, path);
        return head.Version;
    }

    /// <summary>The trained weights of a stored version (for continued training or inspection).</summary>
    public TrainedHead LoadTrainedHead(int version) => TrainedHead.FromCheckpoint(Registry.Load(version).Checkpoint.ToArray());
}
