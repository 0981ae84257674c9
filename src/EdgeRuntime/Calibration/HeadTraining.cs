using System.Text.Json;
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
/// Recipe choice and head training: everything from the stored samples to a stored (and, when the gate agrees,
/// active) head version. The one place the training recipe lives. Borrows the store, the registry, the engine and the
/// session factory from the workspace; one training at a time.
/// </summary>
internal sealed class HeadTraining(
    SampleStore store,
    HeadRegistry registry,
    EmbeddingEngine engine,
    OrtSessionFactory sessions,
    CalibrationOptions options,
    SampleIntake intake,
    TrainingViewEmbedder views,
    ILoggerFactory loggers,
    ILogger logger) : IDisposable
{
    private readonly SemaphoreSlim _training = new(1, 1);

    /// <summary>True while a training run holds the workspace.</summary>
    public bool IsTraining => _training.CurrentCount == 0;

    /// <summary>
    /// Trains a head on the stored samples, scores it and the active head on the same holdout, lets the gate decide,
    /// stores the new version and activates it when the gate (or <see cref="TrainRequest.Force"/>) says so.
    /// Runs on the calling thread: callers that must not disturb live inference run it at low priority.
    /// </summary>
    /// <exception cref="NotEnoughSamplesException">The samples cannot train a head; the message says what is missing.</exception>
    /// <exception cref="TrainingInProgressException">Another training is running.</exception>
    /// <exception cref="EdgeRuntimeException">The new head could not be stored (e.g. disk full); the active head is unchanged.</exception>
    public TrainingOutcome Train(TrainRequest request, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
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
            var set = LoadTrainingSetWithViews(cancellationToken);
            var raw = ToTrainingData(set);
            float inputScale = InputScale(raw.TrainEmbeddings, raw.Dimension);
            var data = raw with { TrainEmbeddings = Scaled(raw.TrainEmbeddings, inputScale), HoldoutEmbeddings = Scaled(raw.HoldoutEmbeddings, inputScale) };
            var settings = options.ToTrainingSettings(request.HeadKind);
            var start = settings.HeadKind == HeadKind.Linear
                ? WeightImprinting.Imprint(data.TrainEmbeddings, data.TrainLabels, data.Dimension, data.ClassCount)
                : null;
            var trainer = new HeadTrainer(sessions, loggers.CreateLogger<HeadTrainer>());
            var trained = trainer.Train(data, settings, start, resumeOptimizer: false, progress, cancellationToken);

            var holdoutLabels = set.Holdout.Y.Select(y => set.Labels[y]).ToList();
            var (headModel, novelty, noveltyProblem) = NoveltyCalibration.AttachTo(ForRawEmbeddings(trained, inputScale).ToInferenceModel(), set,
                options.UnknownFalseRejectRate, options.NoveltyScore, (float)(options.UnknownThreshold ?? 0));
            if (noveltyProblem is not null)
            {
                logger.LogWarning("Head trained without a novelty model: {Reason}", noveltyProblem);
            }

            var probabilities = new List<float>();
            ClassificationMetrics metrics;
            double threshold;
            using (var candidate = new HeadClassifier(headModel, set.Labels, set.Dimension, 0f, 0, sessions))
            {
                metrics = HeadEvaluation.Evaluate(candidate, set.Holdout.X, set.Dimension, holdoutLabels, applyThreshold: false, probabilities);
                threshold = options.UnknownThreshold ?? ThresholdWithMargin(UnknownRejection.ChooseThreshold([.. probabilities], set.Holdout.Y, set.Labels.Count), set.Labels.Count);
            }

            var active = EvaluateActive(set, holdoutLabels);
            var decision = new EvaluationGate(options.GateTolerance).Decide(new GateInput
            {
                Candidate = metrics,
                Active = active is null ? null : new ActiveHeadEvaluation(active.Value.Version, active.Value.Metrics),
                Force = request.Force,
            });
            if (decision.ShouldActivate && registry.ActiveVersion != activeAtStart)
            {
                decision = ActiveChanged(decision, activeAtStart, registry.ActiveVersion);
            }

            var version = registry.Add(new HeadPayload
            {
                HeadOnnx = headModel,
                Checkpoint = trained.ToCheckpoint(),
                Labels = set.Labels,
                HeadKind = settings.HeadKind.ToString(),
                EmbeddingDimension = set.Dimension,
                TrainingSettings = JsonSerializer.SerializeToElement(new { settings, inputScale, trainSamples = set.Train.Count, holdoutSamples = set.Holdout.Count, augmentedViews = set.Train.Views.Count(v => v > 0) }),
                DatasetFingerprint = set.DatasetFingerprint,
                BackboneHash = engine.BackboneHash,
                HoldoutMetrics = metrics,
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
            logger.LogInformation("Head {Version} trained: holdout accuracy {Accuracy:P1}; gate {Outcome}: {Reason}",
                version.Name, metrics.Accuracy, decision.Outcome, decision.Reason);
            return new TrainingOutcome(version.Version, metrics, active?.Version, active?.Metrics, decision, activated, threshold,
                set.Train.Count, set.Holdout.Count, trained.History);
        }
        finally
        {
            _training.Release();
        }
    }

    /// <summary>A technician (or rollback) switched heads while this one trained: their choice stands.</summary>
    private static GateDecision ActiveChanged(GateDecision decision, int? before, int? now) => decision with
    {
        Outcome = GateOutcome.Keep,
        Reason = $"Not activated: the active head changed from {Name(before)} to {Name(now)} while this one trained (the gate had said: {decision.Reason})",
    };

    private static string Name(int? version) => version is int v ? "v" + v.ToString(System.Globalization.CultureInfo.InvariantCulture) : "none";

    /// <summary>
    /// Backbone embeddings are far from unit length (ResNet-18: about 30-40). Training runs on embeddings divided by
    /// their mean training-set norm, which keeps imprinted logits at about 10 x cosine and the optimiser's steps in
    /// proportion; the deployed head takes raw embeddings because the scale is folded into its first layer.
    /// </summary>
    private static float InputScale(float[] embeddings, int dimension)
    {
        int rows = embeddings.Length / dimension;
        double total = 0;
        for (int row = 0; row < rows; row++)
        {
            double sum = 0;
            foreach (var v in embeddings.AsSpan(row * dimension, dimension))
            {
                sum += (double)v * v;
            }

            total += Math.Sqrt(sum);
        }

        return (float)Math.Max(total / Math.Max(1, rows), 1e-6);
    }

    /// <summary>
    /// A field holdout has a handful of images per class, so the confidence that keeps 95 % of them is optimistic for
    /// tomorrow's light: the threshold is set halfway between chance (1/K) and that value. Known classes then rarely
    /// come out unknown, while frames unlike any class (near-uniform probabilities) still do.
    /// </summary>
    private static double ThresholdWithMargin(double chosen, int classes)
    {
        double chance = 1.0 / classes;
        return chosen <= chance ? chosen : chance + (0.5 * (chosen - chance));
    }

    private static float[] Scaled(float[] values, float scale) => [.. values.Select(v => v / scale)];

    /// <summary>The same head taking unscaled inputs: first-layer weights divided by the input scale.</summary>
    private static TrainedHead ForRawEmbeddings(TrainedHead trained, float scale)
    {
        var parameters = trained.Parameters.Select((p, i) => i == 0 ? [.. p.Select(w => w / scale)] : p).ToList();
        return new TrainedHead(trained.Shape, parameters, trained.Optimizer, trained.BestEpoch, trained.History);
    }

    private TrainingSet LoadTrainingSetWithViews(CancellationToken cancellationToken)
    {
        var set = store.LoadTrainingSet(engine.BackboneHash);

        // Refuse before the costly augmentation: views cannot fix a missing class or holdout.
        TrainingReadiness.ThrowIfNotTrainable(TrainingReadiness.CountsOf(set));
        if (options.AugmentedViews > 0 && set.Train.Count < options.AugmentBelowSamples && set.Train.Count > 0)
        {
            views.AugmentTrainingImages(set, cancellationToken);
            set = store.LoadTrainingSet(engine.BackboneHash, includeAugmentedViews: true);
        }

        return set;
    }

    private static TrainingData ToTrainingData(TrainingSet set) =>
        new(set.Train.X, set.Train.Y, set.Holdout.X, set.Holdout.Y, set.Dimension, set.Labels.Count);

    /// <summary>The active head's metrics on the rows of this holdout whose class it knows; null without an active head.</summary>
    private (int Version, ClassificationMetrics Metrics)? EvaluateActive(TrainingSet set, IReadOnlyList<string> holdoutLabels)
    {
        var resolution = registry.ResolveActive();
        if (resolution.Head is not { } head || head.Manifest.BackboneHash != engine.BackboneHash || head.Manifest.EmbeddingDimension != set.Dimension)
        {
            return null;
        }

        using var classifier = new HeadClassifier(head.HeadOnnx.ToArray(), head.Manifest.Labels, set.Dimension, (float)head.Manifest.UnknownThreshold, head.Version, sessions);
        return (head.Version, HeadEvaluation.Evaluate(classifier, set.Holdout.X, set.Dimension, holdoutLabels, applyThreshold: false));
    }

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

    public void Dispose() => _training.Dispose();
}
