using EdgeRuntime.Embeddings;
using EdgeRuntime.Evaluation;
using EdgeRuntime.Execution;
using EdgeRuntime.Heads;
using EdgeRuntime.Inference;
using EdgeRuntime.Samples;

namespace EdgeRuntime.Calibration;

/// <summary>
/// Stores a head trained elsewhere and lets this device's gate decide on it with the local rule
/// (<see cref="GateEvidence"/>): the external head never saw this device's samples, so it is judged on all of them;
/// the active head by its recorded out-of-fold predictions, and by a prediction now where it never trained. Runs in
/// the training slot (waiting for it), so an adoption never interleaves with a local training or adaptation.
/// Borrows the store, registry, engine and session factory from the workspace.
/// </summary>
internal sealed class HeadAdoption(SampleStore store, HeadRegistry registry, EmbeddingEngine engine, OrtSessionFactory sessions, CalibrationOptions options)
{
    public AdoptionResult Adopt(ExternalHead head, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(head);
        if (Stored(head) is { } earlier)
        {
            return Finish(earlier.Version, earlier.Manifest.Gate, head.Trigger, recovered: true);
        }

        var set = store.LoadTrainingSet(engine.BackboneHash);
        var corpus = TrainingCorpus.From(set, options.ExplicitHoldout);
        cancellationToken.ThrowIfCancellationRequested();
        var answers = Predict(head, corpus);
        var deviceIndex = set.Labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
        var predicted = answers.Select(a => deviceIndex.GetValueOrDefault(head.Labels[a], ClassificationMetrics.UnknownPrediction)).ToArray();
        var resolution = registry.ResolveActive();
        var active = resolution.Head is { } h && h.Manifest.BackboneHash == engine.BackboneHash && h.Manifest.EmbeddingDimension == set.Dimension ? h : null;
        using var activeClassifier = active is null ? null
            : new HeadClassifier(active.HeadOnnx.ToArray(), active.Manifest.Labels, set.Dimension, (float)active.Manifest.UnknownThreshold, active.Version, sessions);
        var (candidate, activeEvaluation) = GateEvidence.Build(corpus, set.Labels, predicted, active, activeClassifier);
        var decision = new EvaluationGate(options.GateTolerance).Decide(new GateInput { Candidate = candidate, Active = activeEvaluation });
        decision = decision with
        {
            Reason = $"judged on {candidate.Total} of this device's samples, which it never trained on: {decision.Reason}",
        };

        var stored = registry.Add(new HeadPayload
        {
            HeadOnnx = head.HeadOnnx,
            Checkpoint = head.Checkpoint,
            Labels = head.Labels,
            HeadKind = head.HeadKind,
            EmbeddingDimension = head.EmbeddingDimension,
            TrainingSettings = head.TrainingSettings,
            DatasetFingerprint = head.DatasetFingerprint,
            Novelty = head.Novelty,
            BackboneHash = head.BackboneHash,
            HoldoutMetrics = InHeadLabels(head, corpus, answers),
            UnknownThreshold = head.UnknownThreshold,
            ParentVersion = registry.ActiveVersion,
            Trigger = head.Trigger,
            Gate = decision,
        });
        return Finish(stored.Version, decision, head.Trigger, recovered: false);
    }

    private HeadVersion? Stored(ExternalHead head) => registry.List().FirstOrDefault(v => v.Manifest.Trigger.Source == head.Trigger.Source
        && v.Manifest.Trigger.Note?.StartsWith(head.RecoveryKey, StringComparison.Ordinal) == true);

    private AdoptionResult Finish(int version, GateDecision decision, HeadTrigger trigger, bool recovered)
    {
        if (decision.ShouldActivate && !registry.History.Any(r => r.Version == version))
        {
            registry.Activate(version, $"{trigger.Source.ToString().ToLowerInvariant()} head: {decision.Reason}");
        }

        registry.Prune(options.KeepHeads);
        return new AdoptionResult(version, decision, recovered);
    }

    /// <summary>The external head's answer for every corpus sample, as an index into its own labels.</summary>
    private int[] Predict(ExternalHead head, TrainingCorpus corpus)
    {
        var d = corpus.Samples.Dimension;
        var scores = new float[head.Labels.Count];
        using var classifier = new HeadClassifier(head.HeadOnnx, head.Labels, head.EmbeddingDimension, (float)head.UnknownThreshold, 0, sessions);
        var answers = new int[corpus.Samples.Count];
        for (int i = 0; i < answers.Length; i++)
        {
            classifier.Probabilities(corpus.Samples.Embeddings.AsSpan(i * d, d), scores);
            answers[i] = Array.IndexOf(scores, scores.Max());
        }

        return answers;
    }

    /// <summary>The manifest's metrics, over the samples of the classes the head knows, in its label order.</summary>
    private static ClassificationMetrics InHeadLabels(ExternalHead head, TrainingCorpus corpus, int[] answers)
    {
        var index = head.Labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
        var rows = Enumerable.Range(0, answers.Length).Where(i => index.ContainsKey(corpus.Labels[i])).ToList();
        return ClassificationMetrics.Compute([.. rows.Select(i => index[corpus.Labels[i]])], [.. rows.Select(i => answers[i])], head.Labels);
    }
}
