using System.Globalization;
using System.Text.Json;
using EdgeRuntime.Augmentation;
using EdgeRuntime.Embeddings;
using EdgeRuntime.Evaluation;
using EdgeRuntime.Execution;
using EdgeRuntime.FewShot;
using EdgeRuntime.Heads;
using EdgeRuntime.Inference;
using EdgeRuntime.Novelty;
using EdgeRuntime.Samples;
using EdgeRuntime.Training;
using Microsoft.Extensions.Logging;

namespace EdgeRuntime.Calibration;

/// <summary>
/// Recipe choice and head training: everything from the stored samples to a stored (and, when the gate agrees,
/// active) head version. Cross-validation chooses the recipe, the deployed head is refit on every sample, and the
/// gate sees only data each head did not train on (<see cref="GateEvidence"/>). A class with a single sample cannot
/// be cross-validated: the run then stores an instant (imprinted) head. Borrows the store, the registry, the engine
/// and the session factory from the workspace; one training at a time.
/// </summary>
internal sealed class HeadTraining(
    SampleStore store,
    HeadRegistry registry,
    EmbeddingEngine engine,
    OrtSessionFactory sessions,
    CalibrationOptions options,
    SampleIntake intake,
    TrainingViewEmbedder views,
    ILogger logger) : IDisposable
{
    private readonly SemaphoreSlim _training = new(1, 1);

    /// <summary>True while a training run holds the workspace.</summary>
    public bool IsTraining => _training.CurrentCount == 0;

    /// <summary>Selects a recipe by cross-validation, refits it on every sample, lets the gate decide, stores (and maybe activates) the head.</summary>
    /// <exception cref="NotEnoughSamplesException">The samples cannot train a head; the message says what is missing.</exception>
    /// <exception cref="TrainingInProgressException">Another training is running.</exception>
    /// <exception cref="EdgeRuntimeException">The new head could not be stored (e.g. disk full); the active head is unchanged.</exception>
    public TrainingOutcome Train(TrainRequest request, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken) =>
        Run(request, instant: false, progress, cancellationToken);

    /// <summary>
    /// The instant head: class-mean imprinting on every sample, no gradient steps and no cross-validation, so a class
    /// just added is recognised at once. Marked instant in its manifest; a full <see cref="Train"/> should follow.
    /// Activates when nothing is active or it knows a class the active head does not.
    /// </summary>
    public TrainingOutcome TrainInstant(TrainRequest request, CancellationToken cancellationToken) =>
        Run(request, instant: true, null, cancellationToken);

    private TrainingOutcome Run(TrainRequest request, bool instant, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Problem() is { } problem)
        {
            throw new EdgeRuntimeException(problem);
        }

        if (!_training.Wait(0, cancellationToken))
        {
            throw new TrainingInProgressException();
        }

        try
        {
            // What the candidate is compared with and would replace; re-checked when it is committed.
            int? activeAtStart = registry.ActiveVersion;
            intake.EnsureEmbeddings(cancellationToken);
            var set = LoadTrainingSetWithViews(instant, cancellationToken);
            var corpus = TrainingCorpus.From(set, options.ExplicitHoldout);
            var samples = corpus.Samples;
            var thin = set.Labels.Where((_, c) => samples.ClassCounts()[c] < 2).ToList();
            var fitted = instant || thin.Count > 0
                ? Instant(samples, instant ? "an instant head: imprinted from class means, no training or cross-validation yet"
                    : $"class(es) {string.Join(", ", thin.Select(l => $"'{l}'"))} have a single sample: cross-validation needs two per class, so this head is imprinted (instant) until more are captured")
                : Select(samples, request, progress, cancellationToken);
            var (headModel, novelty, noveltyProblem) = NoveltyCalibration.AttachTo(fitted.Head.ToInferenceModel(), store.LoadTrainingSet(engine.BackboneHash),
                options.UnknownFalseRejectRate, options.NoveltyScore, (float)(options.UnknownThreshold ?? 0));
            if (noveltyProblem is not null)
            {
                logger.LogWarning("Head trained without a novelty model: {Reason}", noveltyProblem);
            }

            var recipe = Record(fitted, corpus, set.Labels);

            ClassificationMetrics? explicitMetrics = null;
            using (var deployed = new HeadClassifier(headModel, set.Labels, set.Dimension, 0f, 0, sessions))
            {
                if (corpus.HoldoutLabels.Count > 0)
                {
                    explicitMetrics = HeadEvaluation.Evaluate(deployed, corpus.HoldoutX, set.Dimension, corpus.HoldoutLabels, applyThreshold: false);
                }
            }

            var threshold = options.UnknownThreshold ?? Threshold(fitted, samples);
            var (decision, metrics, active) = Decide(request, fitted, corpus, set);
            if (decision.ShouldActivate && registry.ActiveVersion != activeAtStart)
            {
                decision = ActiveChanged(decision, activeAtStart, registry.ActiveVersion);
            }

            var version = registry.Add(new HeadPayload
            {
                HeadOnnx = headModel,
                Checkpoint = fitted.Head.ToCheckpoint(),
                Labels = set.Labels,
                HeadKind = fitted.Head.Family.ToString(),
                EmbeddingDimension = set.Dimension,
                TrainingSettings = JsonSerializer.SerializeToElement(new { recipe = recipe.Description, folds = recipe.Folds, seed = recipe.Seed, trainSamples = samples.Count, augmentedRows = corpus.AugmentedRows, explicitHoldoutSamples = corpus.HoldoutLabels.Count }),
                DatasetFingerprint = set.DatasetFingerprint,
                BackboneHash = engine.BackboneHash,
                HoldoutMetrics = metrics,
                Recipe = recipe,
                ExplicitHoldoutMetrics = explicitMetrics,
                UnknownThreshold = threshold,
                UnknownThresholdOverridden = options.UnknownThreshold is not null,
                Novelty = novelty,
                ParentVersion = registry.ActiveVersion,
                Trigger = new HeadTrigger { Source = request.Source, User = request.User, Note = request.Note },
                Gate = decision,
            });
            bool activated = decision.ShouldActivate
                && registry.ActivateIfStillActive(version.Version, activeAtStart, decision.Reason, decision.Forced) is not null;
            if (decision.ShouldActivate && !activated)
            {
                logger.LogWarning("Head {Version} was stored but not activated: the active head changed while it trained", version.Name);
            }

            registry.Prune(options.KeepHeads);
            logger.LogInformation("Head {Version} trained: {Recipe}, CV accuracy {Accuracy}; gate {Outcome}: {Reason}",
                version.Name, recipe.Description, recipe.CrossValidationAccuracy, decision.Outcome, decision.Reason);
            var history = fitted.Head.Parts.SelectMany(p => p.History).ToList();
            return new TrainingOutcome(version.Version, metrics, active?.Version, active?.Metrics, decision, activated, threshold,
                samples.Count, corpus.HoldoutLabels.Count, history)
            {
                Recipe = recipe,
                ExplicitHoldoutMetrics = explicitMetrics,
            };
        }
        finally
        {
            _training.Release();
        }
    }

    private FittedHead Select(FewShotSamples samples, TrainRequest request, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var trainer = new FewShotTrainer(sessions) { Seed = options.Seed, HiddenSize = options.HiddenSize, SoftmaxSteps = options.SoftmaxSteps, MaxEpochs = options.Epochs, Progress = progress };
        var search = new RecipeSearchOptions
        {
            Folds = options.CrossValidationFolds,
            Seed = options.Seed,
            Transforms = [options.FeatureTransform],
            Families = (request.HeadKind ?? options.HeadKind) == HeadKind.Hidden
                ? [HeadFamily.Hidden]
                : [HeadFamily.Discriminant, HeadFamily.Linear, HeadFamily.Ensemble],
            Mirror = options.Augment.Mirror,
            Crop = options.Augment.Crop,
            Colour = options.Augment.Colour,
        };
        var selection = new RecipeSearch(trainer).Select(samples, search, cancellationToken);
        var head = trainer.Fit(samples, selection.Recipe, cancellationToken);
        return new FittedHead(head, selection.Recipe, selection, null);
    }

    private FittedHead Instant(FewShotSamples samples, string reason)
    {
        var head = FewShotTrainer.Imprint(samples, options.FeatureTransform);
        return new FittedHead(head, new Recipe(options.FeatureTransform, HeadFamily.Imprinted, 0, Shrinkage.Oas, ViewKinds.None), null, reason);
    }

    private static HeadRecipe Record(FittedHead fitted, TrainingCorpus corpus, IReadOnlyList<string> labels)
    {
        var r = fitted.Recipe;
        var k = labels.Count;
        var predictions = fitted.Selection is { } s
            ? corpus.SampleIds.Select((id, i) => new SamplePrediction(id, corpus.Labels[i], labels[ArgMax(s.OutOfFold.AsSpan(i * k, k))])).ToList()
            : [];
        var softmax = r.Family is HeadFamily.Linear or HeadFamily.Hidden or HeadFamily.Ensemble;
        var discriminant = r.Family is HeadFamily.Discriminant or HeadFamily.Ensemble;
        return new HeadRecipe
        {
            Description = r.ToString(),
            Family = r.Family.ToString(),
            FeatureTransform = r.Transform.ToString(),
            WeightDecay = softmax ? r.WeightDecay : null,
            Shrinkage = discriminant ? r.Shrinkage.ToString() : null,
            Views = r.Views.ToString(),
            Instant = r.Family == HeadFamily.Imprinted,
            TrainSamples = corpus.Samples.Count,
            AugmentedRows = corpus.Samples.Views.Where(v => (r.Views & v.Kind) != 0).Sum(v => v.Sources.Length),
            CrossValidationAccuracy = fitted.Selection?.Estimate.Mean,
            CrossValidationStandardError = fitted.Selection?.Estimate.StandardError,
            Folds = fitted.Selection?.Folds ?? 0,
            Seed = fitted.Selection?.Seed ?? 0,
            NoEstimateReason = fitted.NoEstimateReason,
            OutOfFold = predictions,
        };
    }

    /// <summary>The gate's verdict and the candidate's unseen-data metrics (null for an instant head).</summary>
    private (GateDecision Decision, ClassificationMetrics? Metrics, ActiveHeadEvaluation? Active) Decide(TrainRequest request, FittedHead fitted, TrainingCorpus corpus, TrainingSet set)
    {
        var resolution = registry.ResolveActive();
        var activeHead = resolution.Head is { } h && h.Manifest.BackboneHash == engine.BackboneHash && h.Manifest.EmbeddingDimension == set.Dimension ? h : null;
        using var activeClassifier = activeHead is null ? null
            : new HeadClassifier(activeHead.HeadOnnx.ToArray(), activeHead.Manifest.Labels, set.Dimension, (float)activeHead.Manifest.UnknownThreshold, activeHead.Version, sessions);
        if (fitted.Selection is not { } selection)
        {
            var newClasses = activeHead is null ? set.Labels : [.. set.Labels.Except(activeHead.Manifest.Labels, StringComparer.Ordinal)];
            var activate = request.Force || activeHead is null || newClasses.Count > 0;
            var why = activeHead is null ? "first head: nothing active to compare with"
                : newClasses.Count > 0 ? $"it knows class(es) the active v{activeHead.Version} does not ({string.Join(", ", newClasses)})"
                : $"active v{activeHead.Version} knows every class and has an estimate; an instant head has none to compare";
            var decision = new GateDecision
            {
                Outcome = activate ? GateOutcome.Activate : GateOutcome.Keep,
                Reason = $"instant head ({fitted.NoEstimateReason}): {(activate ? "activated" : "kept")} because {why}" + (request.Force ? " (forced)" : string.Empty),
                Forced = request.Force,
                ComparedWithVersion = activeHead?.Version,
                Tolerance = options.GateTolerance,
            };
            return (decision, null, null);
        }

        var k = set.Labels.Count;
        var predicted = Enumerable.Range(0, corpus.Samples.Count).Select(i => ArgMax(selection.OutOfFold.AsSpan(i * k, k))).ToArray();
        var (candidate, active) = GateEvidence.Build(corpus, set.Labels, predicted, activeHead, activeClassifier);
        var all = ClassificationMetrics.Compute(corpus.Samples.Labels, predicted, set.Labels);
        var gate = new EvaluationGate(options.GateTolerance).Decide(new GateInput { Candidate = candidate, Active = active, Force = request.Force });
        return (gate, all, active);
    }

    /// <summary>From the out-of-fold probabilities (unseen data), halfway between chance and the 95 %-keeping value; chance for an instant head.</summary>
    private static double Threshold(FittedHead fitted, FewShotSamples samples)
    {
        var k = samples.ClassCount;
        double chance = 1.0 / k;
        if (fitted.Selection is not { } selection)
        {
            return chance;
        }

        var chosen = UnknownRejection.ChooseThreshold([.. selection.OutOfFold.Select(p => (float)p)], samples.Labels, k);
        return chosen <= chance ? chosen : chance + (0.5 * (chosen - chance));
    }

    private TrainingSet LoadTrainingSetWithViews(bool instant, CancellationToken cancellationToken)
    {
        var set = store.LoadTrainingSet(engine.BackboneHash);

        // Refuse before the costly augmentation: views cannot fix a missing class.
        TrainingReadiness.ThrowIfNotTrainable(TrainingReadiness.CountsOf(set), options.ExplicitHoldout);
        var kinds = options.AugmentedViews > 0 && !instant && set.Train.Count + set.Holdout.Count < options.AugmentBelowSamples ? options.Augment.Enabled : ViewKinds.None;
        if (kinds != ViewKinds.None)
        {
            views.AugmentTrainingImages(set, kinds, cancellationToken);
            set = store.LoadTrainingSet(engine.BackboneHash, includeAugmentedViews: true);
        }

        return set;
    }

    private static int ArgMax(ReadOnlySpan<double> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            best = values[i] > values[best] ? i : best;
        }

        return best;
    }

    /// <summary>A technician (or rollback) switched heads while this one trained: their choice stands.</summary>
    private static GateDecision ActiveChanged(GateDecision decision, int? before, int? now) => decision with
    {
        Outcome = GateOutcome.Keep,
        Reason = $"Not activated: the active head changed from {Name(before)} to {Name(now)} while this one trained (the gate had said: {decision.Reason})",
    };

    private static string Name(int? version) => version is int v ? "v" + v.ToString(CultureInfo.InvariantCulture) : "none";

    /// <summary>Runs <paramref name="work"/> in the training slot, so head adaptation and training never overlap.</summary>
    /// <exception cref="TrainingInProgressException">Training or another adaptation holds the slot.</exception>
    public T Exclusive<T>(Func<T> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (!_training.Wait(0, cancellationToken))
        {
            throw new TrainingInProgressException("A training run or an adaptation is already in progress; wait for it to finish.");
        }

        try
        {
            return work();
        }
        finally
        {
            _training.Release();
        }
    }

    /// <summary>Runs <paramref name="work"/> in the training slot, waiting for a running training or adaptation to end.</summary>
    public T ExclusiveWhenFree<T>(Func<T> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        _training.Wait(cancellationToken);
        try
        {
            return work();
        }
        finally
        {
            _training.Release();
        }
    }

    public void Dispose() => _training.Dispose();

    private sealed record FittedHead(FewShotHead Head, Recipe Recipe, RecipeSelection? Selection, string? NoEstimateReason);
}
