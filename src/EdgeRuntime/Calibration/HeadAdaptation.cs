using System.Globalization;
using System.Text.Json;
using EdgeRuntime.Adaptation;
using EdgeRuntime.Embeddings;
using EdgeRuntime.Evaluation;
using EdgeRuntime.Execution;
using EdgeRuntime.Heads;
using EdgeRuntime.Inference;
using EdgeRuntime.Novelty;
using EdgeRuntime.Samples;
using EdgeRuntime.Training;
using Microsoft.Extensions.Logging;

namespace EdgeRuntime.Calibration;

/// <summary>
/// Unsupervised adaptation of the active head to a new camera: align the unlabelled frames' embeddings onto the
/// calibration data (re-centre, optionally CORAL), re-centre the novelty features on them, one round of confident
/// pseudo-labels, all folded into the head's first layer; then a gate without accuracy (agreement with the previous
/// head on its confident frames, the unknown rate before and after, and labelled samples from the new camera when
/// there are some) decides whether the new version activates. The previous version stays as it was: rolling back
/// restores it exactly. Borrows the workspace's store, registry, engine and sessions.
/// </summary>
internal sealed class HeadAdaptation(
    SampleStore store,
    HeadRegistry registry,
    EmbeddingEngine engine,
    OrtSessionFactory sessions,
    CalibrationOptions calibration,
    ILoggerFactory loggers,
    ILogger logger)
{
    private readonly AdaptationOptions options = calibration.Adaptation;

    public AdaptationOutcome Adapt(AdaptRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        int d = engine.Dimension;
        int count = request.Frames.Length / d;
        if (request.Frames.Length % d != 0 || count < options.MinimumFrames)
        {
            throw new AdaptationException(string.Create(CultureInfo.InvariantCulture,
                $"Adaptation needs at least {options.MinimumFrames} unlabelled frames from the new camera; got {count}."));
        }

        var frames = count > options.MaximumFrames ? request.Frames[^(options.MaximumFrames * d)..] : request.Frames;
        count = frames.Length / d;
        var active = registry.ResolveActive().Head ?? throw new AdaptationException("No head is active: calibrate one before adapting it to a new camera.");
        if (active.Manifest.BackboneHash != engine.BackboneHash)
        {
            throw new AdaptationException($"Head {active.Manifest.Name} was trained for another backbone; train a new head first.");
        }

        // Adaptations never stack: every one starts from the trained head the chain began with.
        int baseVersion = BaseVersion(active.Manifest) ?? active.Version;
        LoadedHead trained;
        try
        {
            trained = registry.Load(baseVersion);
        }
        catch (EdgeRuntimeException ex)
        {
            throw new AdaptationException($"The trained head v{baseVersion} this head was adapted from is gone or damaged ({ex.Message}); train a new head instead.", ex);
        }

        var labels = trained.Manifest.Labels;
        var checkpoint = trained.Checkpoint.ToArray();
        var fewShot = FewShot.FewShotHeadCheckpoint.IsFewShot(checkpoint) ? FewShot.FewShotHeadCheckpoint.Read(checkpoint) : null;

        // A few-shot head's feature transform sits before its classifier, so a raw-embedding map cannot be folded into
        // its first layer; it adapts the way its transform was built for: re-centred on the field's mean.
        var baseHead = fewShot?.Parts[0] ?? TrainedHead.FromCheckpoint(checkpoint);
        float scale = InputScale(trained.Manifest);
        var (source, holdout, labelled) = Split(labels, active.Manifest.CreatedUtc, d);
        if (source.Y.Length < 2)
        {
            throw new AdaptationException("The calibration samples of the head are gone from the store; adaptation needs them as the reference.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        // CORAL is a map of raw embeddings folded into a first linear layer; a few-shot head has none to fold it into.
        if (fewShot is not null && request.Coral == true)
        {
            throw new AdaptationException(string.Create(CultureInfo.InvariantCulture,
                $"Head {active.Manifest.Name} is a few-shot head ({trained.Manifest.Recipe?.Description ?? "feature transform before its classifier"}): it adapts by re-centring its feature transform on the new camera's frames, and CORAL cannot be folded into it. Adapt without CORAL."));
        }

        bool coral = fewShot is null && (request.Coral ?? options.Coral);
        var sourceMean = FeatureAlignment.Mean(source.X, d);
        var targetMean = FeatureAlignment.Mean(frames, d);
        var alignment = coral ? FeatureAlignment.Coral(source.X, frames, d) : FeatureAlignment.Recentre(sourceMean, targetMean);
        var novelty = NoveltyGraph.Read(trained.HeadOnnx.Span);
        var detector = novelty is null ? null : novelty with { Model = novelty.Model.WithCentre(NoveltyFeatures.Centre(frames, d)) };

        var adapted = baseHead;
        int pseudoLabelled = 0;
        if (options.PseudoLabels && fewShot is null)
        {
            (adapted, pseudoLabelled) = PseudoLabelRound(baseHead, alignment, scale, frames, source, holdout, labels, detector, cancellationToken);
        }

        var recentred = fewShot?.WithReferenceMean(fewShot.Transform.ReferenceMeanOf(frames));
        if (fewShot is not null && recentred is not null && options.PseudoLabels)
        {
            (recentred, pseudoLabelled) = FewShotPseudoLabelRound(fewShot, recentred, trained.Manifest.Recipe, frames, source, holdout, cancellationToken);
        }

        var onnx = recentred is null ? Deployable(adapted, alignment, scale, detector)
            : detector is null ? recentred.ToInferenceModel() : NoveltyGraph.Attach(recentred.ToInferenceModel(), detector);
        using var previous = Classifier(active.HeadOnnx.ToArray(), active.Manifest);
        using var candidate = Classifier(onnx, trained.Manifest);
        var evidence = Judge(previous, candidate, frames, labelled, labels) with
        {
            BaseVersion = baseVersion,
            PreviousVersion = active.Version,
            Source = request.Source,
            MeanShift = Distance(targetMean, sourceMean) / Math.Max(Norm(sourceMean), 1e-9),
            Coral = coral,
            PseudoLabelled = pseudoLabelled,
            InputMean = targetMean,
            ImagesFound = request.ImagesFound,
        };
        var gate = new GateDecision
        {
            Outcome = evidence.Accepted || request.Force ? GateOutcome.Activate : GateOutcome.Keep,
            Reason = request.Force && !evidence.Accepted ? "Forced: " + evidence.Reason : evidence.Reason,
            Forced = request.Force && !evidence.Accepted,
            ComparedWithVersion = active.Version,
            CandidateAccuracy = evidence.AccuracyAfter,
            ActiveAccuracy = evidence.AccuracyBefore,
        };
        var version = registry.Add(new HeadPayload
        {
            HeadOnnx = onnx,
            Checkpoint = recentred?.ToCheckpoint() ?? adapted.ToCheckpoint(),
            Labels = labels,
            HeadKind = trained.Manifest.HeadKind,
            EmbeddingDimension = d,
            TrainingSettings = JsonSerializer.SerializeToElement(new { inputScale = scale, adaptation = evidence }),
            Recipe = trained.Manifest.Recipe,
            DatasetFingerprint = trained.Manifest.DatasetFingerprint,
            BackboneHash = engine.BackboneHash,
            UnknownThreshold = trained.Manifest.UnknownThreshold,
            UnknownThresholdOverridden = trained.Manifest.UnknownThresholdOverridden,
            Novelty = trained.Manifest.Novelty,
            ParentVersion = active.Version,
            Trigger = new HeadTrigger { Source = request.Trigger, User = request.User, Note = request.Note ?? (request.ImagesFound is { } found ? $"adapted to {count} of {found} {request.Source} images" : $"adapted to {count} {request.Source} frames") },
            Gate = gate,
        });
        if (gate.ShouldActivate)
        {
            registry.Activate(version.Version, "adapted: " + gate.Reason, gate.Forced);
        }

        registry.Prune(calibration.KeepHeads);
        logger.LogInformation("Head {Version} adapted from {Base} on {Frames} frames: {Outcome}: {Reason}", version.Name, trained.Manifest.Name, count, gate.Outcome, gate.Reason);
        return new AdaptationOutcome(version.Version, gate.ShouldActivate, evidence);
    }

    /// <summary>The trained head an adapted head came from; null for a trained head.</summary>
    internal static int? BaseVersion(HeadManifest manifest) =>
        manifest.TrainingSettings is { } settings && settings.TryGetProperty("adaptation", out var adaptation)
            && adaptation.TryGetProperty(nameof(AdaptationEvidence.BaseVersion), out var version) ? version.GetInt32() : null;

    private static float InputScale(HeadManifest manifest) =>
        manifest.TrainingSettings is { } settings && settings.TryGetProperty("inputScale", out var scale) ? scale.GetSingle() : 1f;

    private (TrainedHead Head, int Count) PseudoLabelRound(TrainedHead start, FeatureAlignment alignment, float scale, float[] frames,
        (float[] X, int[] Y) source, (float[] X, int[] Y) holdout, IReadOnlyList<string> labels, NoveltyDetector? detector, CancellationToken cancellationToken)
    {
        int d = engine.Dimension, k = labels.Count;
        using var first = new HeadClassifier(Deployable(start, alignment, scale, detector), labels, d, 0f, 0, sessions);
        var aligned = alignment.Apply(frames);
        var probabilities = new float[frames.Length / d * k];
        for (int n = 0; n < frames.Length / d; n++)
        {
            first.Probabilities(frames.AsSpan(n * d, d), probabilities.AsSpan(n * k, k));
        }

        var (chosen, pseudo) = ConfidentFrames.Pick<float>(probabilities, k, options.Confidence);

        if (chosen.Count == 0 || holdout.Y.Length == 0)
        {
            return (start, 0);
        }

        // Source samples stay in: the round must not forget the classes the new camera has not shown yet.
        var x = new float[source.X.Length + (chosen.Count * d)];
        source.X.CopyTo(x, 0);
        for (int i = 0; i < chosen.Count; i++)
        {
            Array.Copy(aligned, chosen[i] * d, x, source.X.Length + (i * d), d);
        }

        var data = new TrainingData([.. x.Select(v => v / scale)], [.. source.Y, .. pseudo], [.. holdout.X.Select(v => v / scale)], holdout.Y, d, k);
        var settings = calibration.ToTrainingSettings(start.Kind) with { Epochs = options.PseudoLabelEpochs, HiddenSize = start.Kind == HeadKind.Hidden ? start.Shape.HiddenSize : calibration.HiddenSize };
        var trainer = new HeadTrainer(sessions, loggers.CreateLogger<HeadTrainer>());
        return (trainer.Train(data, settings, start, resumeOptimizer: false, null, cancellationToken), chosen.Count);
    }

    /// <summary>
    /// The pseudo-label round of a few-shot head: the frames the re-centred head is confident on (the same rule as the
    /// softmax round) join every calibration sample, and the head's own recipe is fit again on them. Calibration samples
    /// keep the trained transform (centred on their own mean), frames the adapted one (centred on the frames' mean):
    /// that is where the deployed head will see each. Views are left out, so the source samples do not outweigh the
    /// frames four to one; labelled samples from the new camera are left out too, they are the gate's evidence.
    /// </summary>
    private (FewShot.FewShotHead Head, int Count) FewShotPseudoLabelRound(FewShot.FewShotHead trained, FewShot.FewShotHead recentred, HeadRecipe? recorded,
        float[] frames, (float[] X, int[] Y) source, (float[] X, int[] Y) holdout, CancellationToken cancellationToken)
    {
        int d = engine.Dimension, k = recentred.ClassCount;
        var (chosen, pseudo) = ConfidentFrames.Pick<double>(recentred.Probabilities(frames), k, options.Confidence);

        if (chosen.Count == 0)
        {
            return (recentred, 0);
        }

        int[] calibrationLabels = [.. source.Y, .. holdout.Y];
        var features = new double[(calibrationLabels.Length + chosen.Count) * d];
        trained.Transform.ApplyAll([.. source.X, .. holdout.X]).CopyTo(features, 0);
        for (int i = 0; i < chosen.Count; i++)
        {
            recentred.Transform.Apply(frames.AsSpan(chosen[i] * d, d), features.AsSpan((calibrationLabels.Length + i) * d, d));
        }

        var recipe = RecipeOf(recorded, trained);
        var trainer = new FewShot.FewShotTrainer(sessions)
        {
            Seed = calibration.Seed,
            HiddenSize = trained.Family == FewShot.HeadFamily.Hidden ? trained.Parts[0].Shape.HiddenSize : calibration.HiddenSize,
            SoftmaxSteps = calibration.SoftmaxSteps,
            MaxEpochs = calibration.Epochs,
        };
        cancellationToken.ThrowIfCancellationRequested();
        var refit = trainer.Fit(recentred.Transform, features, [.. calibrationLabels, .. pseudo], k, recipe, cancellationToken);
        logger.LogInformation("Pseudo-label round: {Recipe} refit on {Samples} calibration samples and {Frames} confident frames", recipe, calibrationLabels.Length, chosen.Count);
        return (refit, chosen.Count);
    }

    /// <summary>
    /// The recipe a few-shot head was trained with, from its manifest; the family and transform come from the head
    /// itself (they are what runs). A head without a recorded recipe (from before recipes were recorded) gets the
    /// configured weight decay and OAS shrinkage.
    /// </summary>
    private FewShot.Recipe RecipeOf(HeadRecipe? recorded, FewShot.FewShotHead head)
    {
        float decay = recorded?.WeightDecay is { } w ? (float)w : calibration.WeightDecay;
        var shrinkage = recorded?.Shrinkage is { } s && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var alpha)
            ? FewShot.Shrinkage.Fixed(alpha) : FewShot.Shrinkage.Oas;
        return new FewShot.Recipe(head.Transform.Kind, head.Family, decay, shrinkage, Augmentation.ViewKinds.None);
    }

    /// <summary>The head taking raw embeddings with the alignment folded into its first layer, with its novelty nodes.</summary>
    private static byte[] Deployable(TrainedHead head, FeatureAlignment alignment, float scale, NoveltyDetector? detector)
    {
        var (weights, bias) = alignment.Fold(head.Parameters[0], head.Parameters[1], scale);
        var parameters = head.Parameters.Select((p, i) => i == 0 ? weights : i == 1 ? bias : p).ToList();
        var model = new TrainedHead(head.Shape, parameters, AdamState.Zero(head.Shape), head.BestEpoch, head.History).ToInferenceModel();
        return detector is null ? model : NoveltyGraph.Attach(model, detector);
    }

    private HeadClassifier Classifier(byte[] onnx, HeadManifest manifest) =>
        new(onnx, manifest.Labels, engine.Dimension, (float)(calibration.UnknownThreshold ?? manifest.UnknownThreshold), manifest.Version, sessions, calibration.NoveltyRejects);

    private AdaptationEvidence Judge(HeadClassifier previous, HeadClassifier candidate, float[] frames, (float[] X, int[] Y) labelled, IReadOnlyList<string> labels)
    {
        int d = engine.Dimension, count = frames.Length / d;
        int confident = 0, agree = 0, unknownBefore = 0, unknownAfter = 0;
        for (int n = 0; n < count; n++)
        {
            var row = frames.AsSpan(n * d, d);
            var before = previous.Classify(row, 1, default, default);
            var after = candidate.Classify(row, 1, default, default);
            unknownBefore += before.IsUnknown ? 1 : 0;
            unknownAfter += after.IsUnknown ? 1 : 0;
            if (before.Confidence >= options.Confidence)
            {
                confident++;
                agree += before.TopK[0].Label == after.TopK[0].Label ? 1 : 0;
            }
        }

        double? Accuracy(HeadClassifier head) => labelled.Y.Length == 0 ? null
            : Enumerable.Range(0, labelled.Y.Length).Count(i => head.Classify(labelled.X.AsSpan(i * d, d), 1, default, default).TopK[0].Label == labels[labelled.Y[i]]) / (double)labelled.Y.Length;

        var (accuracyBefore, accuracyAfter) = (Accuracy(previous), Accuracy(candidate));
        double? agreement = confident == 0 ? null : (double)agree / confident;
        var (noveltyBefore, noveltyAfter) = ((double)unknownBefore / count, (double)unknownAfter / count);
        var inv = CultureInfo.InvariantCulture;
        string numbers = string.Create(inv, $"agreement {(agreement is { } a ? a.ToString("P0", inv) : "n/a")} on {confident} confident frames, unknown {noveltyBefore:P0} → {noveltyAfter:P0}");
        bool accepted;
        string reason;
        if (labelled.Y.Length >= options.MinimumLabelled)
        {
            accepted = accuracyAfter >= accuracyBefore - options.LabelledTolerance;
            reason = string.Create(inv, $"{labelled.Y.Length} labelled samples from the new camera: accuracy {accuracyBefore:P0} → {accuracyAfter:P0}; {numbers}");
        }
        else
        {
            bool agrees = agreement is null || agreement >= options.MinimumAgreement;
            bool novelty = noveltyAfter <= noveltyBefore + options.MaximumNoveltyIncrease;
            accepted = agrees && novelty;
            reason = (agrees, novelty) switch
            {
                (true, true) => "Consistent with the previous head: " + numbers,
                (false, _) => string.Create(inv, $"Disagrees with the previous head on its confident frames (below {options.MinimumAgreement:P0}): {numbers}"),
                _ => "More frames look unknown after adapting: " + numbers,
            };
        }

        return new AdaptationEvidence(0, 0, count, string.Empty, 0, false, 0, confident, agreement, noveltyBefore, noveltyAfter,
            labelled.Y.Length, accuracyBefore, accuracyAfter, accepted, reason, []);
    }

    /// <summary>Calibration rows of the head's classes (train and holdout), and labelled rows stored after <paramref name="since"/>.</summary>
    private ((float[] X, int[] Y) Source, (float[] X, int[] Y) Holdout, (float[] X, int[] Y) Labelled) Split(IReadOnlyList<string> labels, DateTimeOffset since, int d)
    {
        var set = store.LoadTrainingSet(engine.BackboneHash);
        var index = labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
        var times = new Dictionary<long, DateTimeOffset>();
        DateTimeOffset Time(long id) => times.TryGetValue(id, out var t) ? t : times[id] = store.GetSample(id)?.CapturedAt ?? DateTimeOffset.MinValue;
        var (sx, sy, hx, hy, lx, ly) = (new List<float>(), new List<int>(), new List<float>(), new List<int>(), new List<float>(), new List<int>());
        void Take(LabeledEmbeddings rows, bool isHoldout)
        {
            for (int n = 0; n < rows.Count; n++)
            {
                if (!index.TryGetValue(set.Labels[rows.Y[n]], out int y) || rows.Views[n] != 0)
                {
                    continue;
                }

                var (x, ys) = Time(rows.SampleIds[n]) > since ? (lx, ly) : isHoldout ? (hx, hy) : (sx, sy);
                x.AddRange(rows.X.AsSpan(n * d, d).ToArray());
                ys.Add(y);
            }
        }

        Take(set.Train, isHoldout: false);
        Take(set.Holdout, isHoldout: true);
        return (([.. sx], [.. sy]), ([.. hx], [.. hy]), ([.. lx], [.. ly]));
    }

    private static double Norm(float[] v) => Math.Sqrt(v.Sum(x => (double)x * x));

    private static double Distance(float[] a, float[] b) => Math.Sqrt(a.Select((x, i) => ((double)x - b[i]) * (x - b[i])).Sum());
}
