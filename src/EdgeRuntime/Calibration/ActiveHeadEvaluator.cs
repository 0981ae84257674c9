using EdgeRuntime.Embeddings;
using EdgeRuntime.Evaluation;
using EdgeRuntime.Inference;
using EdgeRuntime.Samples;

namespace EdgeRuntime.Calibration;

/// <summary>The active head on image files: predictions, and scores on a labelled folder. Borrows the engine.</summary>
internal sealed class ActiveHeadEvaluator(HeadActivation heads, EmbeddingEngine engine, TimeProvider time)
{
    /// <summary>Classifies image files with the active head.</summary>
    /// <exception cref="EdgeRuntimeException">No head is active yet.</exception>
    public IReadOnlyList<(string File, Prediction? Prediction, string? Error)> Predict(IReadOnlyList<string> files, int topK, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        using var head = heads.LoadActiveClassifier(out _) ?? throw new EdgeRuntimeException("No head is active yet: import samples and train first.");
        var embedded = engine.EmbedFiles([.. files.Distinct(StringComparer.Ordinal)], null, cancellationToken);
        var byName = new Dictionary<string, (Prediction?, string?)>(StringComparer.Ordinal);
        foreach (var e in embedded.Succeeded)
        {
            byName.TryAdd(e.Name, (head.Classify(e.Embedding, topK, time.GetUtcNow(), TimeSpan.Zero), null));
        }

        foreach (var f in embedded.Failed)
        {
            byName.TryAdd(f.Name, (null, f.Reason));
        }

        // In the caller's order, one answer per file given (a path listed twice is answered twice).
        return [.. files.Select(f => byName.TryGetValue(f, out var r) ? (f, r.Item1, r.Item2) : (f, (Prediction?)null, (string?)"not processed"))];
    }

    /// <summary>Scores the active head on a labelled ImageFolder (folder/&lt;label&gt;/images), unknowns counted as wrong.</summary>
    public (int Version, ClassificationMetrics Metrics, IReadOnlyList<string> Failures) EvaluateFolder(string folder, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(folder))
        {
            throw new EdgeRuntimeException($"Evaluation folder '{folder}' does not exist.");
        }

        // Folder names become labels exactly as Import makes them (trimmed), so an imported folder scores its own classes.
        var files = Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal)
            .Select(d => (Directory: d, Valid: SampleLabels.TryNormalize(Path.GetFileName(d), out var label, out _), Label: label))
            .Where(d => d.Valid)
            .SelectMany(d => SampleImporter.ImageFilesIn(d.Directory).Select(f => (File: f, d.Label)))
            .ToList();
        if (files.Count == 0)
        {
            throw new EdgeRuntimeException($"Evaluation folder '{folder}' has no <label>/ sub-folders with images (ImageFolder layout: {folder}/<label>/*.jpg).");
        }

        using var head = heads.LoadActiveClassifier(out _) ?? throw new EdgeRuntimeException("No head is active yet: import samples and train first.");
        var embedded = engine.EmbedFiles([.. files.Select(f => f.File)], null, cancellationToken);
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
}
