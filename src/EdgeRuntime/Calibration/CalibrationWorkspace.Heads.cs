using EdgeRuntime.Evaluation;
using EdgeRuntime.Heads;
using EdgeRuntime.Inference;
using EdgeRuntime.Samples;
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
        ArgumentNullException.ThrowIfNull(files);
        using var head = LoadActiveClassifier(out _) ?? throw new EdgeRuntimeException("No head is active yet: import samples and train first.");
        var embedded = _engine.EmbedFiles([.. files.Distinct(StringComparer.Ordinal)], null, cancellationToken);
        var byName = new Dictionary<string, (Prediction?, string?)>(StringComparer.Ordinal);
        foreach (var e in embedded.Succeeded)
        {
            byName.TryAdd(e.Name, (head.Classify(e.Embedding, topK, _time.GetUtcNow(), TimeSpan.Zero), null));
        }

        foreach (var f in embedded.Failed)
        {
            byName.TryAdd(f.Name, (null, f.Reason));
        }

        // In the caller's order, one answer per file given (a path listed twice is answered twice).
        return [.. files.Select(f => byName.TryGetValue(f, out var r) ? (f, r.Item1, r.Item2) : (f, (Prediction?)null, (string?)"not processed"))];
    }

    /// <summary>Scores the active head on a labelled ImageFolder (folder/&lt;label&gt;/images), unknowns counted as wrong.</summary>
    public (int Version, ClassificationMetrics Metrics, IReadOnlyList<string> Failures) EvaluateFolder(string folder, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(folder))
        {
            throw new EdgeRuntimeException($"Evaluation folder '{folder}' does not exist.");
        }

        // Folder names become labels exactly as Import makes them (trimmed), so an imported folder scores its own classes.
        var files = Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal)
            .Select(d => (Directory: d, Valid: SampleLabels.TryNormalize(Path.GetFileName(d), out var label, out _), Label: label))
            .Where(d => d.Valid)
            .SelectMany(d => ImageFilesIn(d.Directory).Select(f => (File: f, d.Label)))
            .ToList();
        if (files.Count == 0)
        {
            throw new EdgeRuntimeException($"Evaluation folder '{folder}' has no <label>/ sub-folders with images (ImageFolder layout: {folder}/<label>/*.jpg).");
        }

        using var head = LoadActiveClassifier(out _) ?? throw new EdgeRuntimeException("No head is active yet: import samples and train first.");
        var embedded = _engine.EmbedFiles([.. files.Select(f => f.File)], null, cancellationToken);
        var labelOf = files.ToDictionary(f => f.File, f => f.Label, StringComparer.Ordinal);
        if (embedded.Succeeded.Count == 0)
        {
            throw new EdgeRuntimeException($"No image in '{folder}' could be embedded: {string.Join("; ", embedded.Failed.Select(f => $"{f.Name}: {f.Reason}"))}");
        }

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
    /// <exception cref="EdgeRuntimeException">No head is active, or the head was trained on another backbone than the manifest's.</exception>
    public int Export(string path, string backboneManifestPath)
    {
        var resolution = Registry.ResolveActive();
        var head = resolution.Head ?? throw new EdgeRuntimeException("No head is active yet: nothing to export.");
        if (resolution.FellBack)
        {
            _logger.LogWarning("Active head v{Active} is refused; exporting v{Version} instead", resolution.ActiveVersion, head.Version);
        }

        // The threshold the device applies (an override wins over the head's own), so the file answers as the device does.
        var threshold = _options.UnknownThreshold ?? head.Manifest.UnknownThreshold;
        ModelExporter.Export(Models.BackboneManifest.Load(backboneManifestPath), head, path, threshold, _engine.Info.Resize);
        _logger.LogInformation("Exported backbone and head v{Version} to {Path}", head.Version, path);
        return head.Version;
    }

    /// <summary>The trained weights of a stored version (for continued training or inspection).</summary>
    public TrainedHead LoadTrainedHead(int version) => TrainedHead.FromCheckpoint(Registry.Load(version).Checkpoint.ToArray());
}
