using System.Security.Cryptography;
using EdgeRuntime.Calibration;
using EdgeRuntime.Embeddings;
using EdgeRuntime.Evaluation;
using EdgeRuntime.Execution;
using EdgeRuntime.Heads;
using EdgeRuntime.Inference;
using Microsoft.Extensions.Logging;

namespace EdgeRuntime.Fleet;

/// <summary>
/// Takes a signed head bundle from the fleet through this device's own rules: verify, refuse replays, store it as a
/// new version (trigger <see cref="HeadTriggerSource.Fleet"/>) and let this device's evaluation gate decide on this
/// device's holdout samples. Idempotent per bundle id across crashes: the id is in the stored manifest's trigger note
/// and in the <see cref="BundleLedger"/>. Borrows the workspace, the engine it was opened with and the session
/// factory; one bundle at a time.
/// </summary>
public sealed class FleetHeadAdopter
{
    private readonly Lock _gate = new();
    private readonly CalibrationWorkspace _workspace;
    private readonly EmbeddingEngine _engine;
    private readonly OrtSessionFactory _sessions;
    private readonly BundleLedger _ledger;
    private readonly ILogger<FleetHeadAdopter> _logger;
    private readonly TimeProvider _time;

    public FleetHeadAdopter(CalibrationWorkspace workspace, EmbeddingEngine engine, OrtSessionFactory sessions, BundleLedger ledger, ILogger<FleetHeadAdopter> logger, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(engine);
        if (workspace.BackboneHash != engine.BackboneHash)
        {
            throw new ArgumentException($"The workspace runs backbone {workspace.BackboneHash}, not the engine's {engine.BackboneHash}.", nameof(engine));
        }

        (_workspace, _engine, _sessions, _ledger, _logger) = (workspace, engine, sessions, ledger, logger);
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Verifies and applies one bundle; refusals come back as an outcome (nothing changed), never as an exception.</summary>
    public BundleOutcome Apply(ReadOnlyMemory<byte> message, ECDsa publicKey, long maxBytes)
    {
        var outcome = ApplyOnce(message, publicKey, maxBytes);
        return outcome with { MessageSha256 = Convert.ToHexStringLower(SHA256.HashData(message.Span)) };
    }

    private BundleOutcome ApplyOnce(ReadOnlyMemory<byte> message, ECDsa publicKey, long maxBytes)
    {
        lock (_gate)
        {
            HeadBundle bundle;
            try
            {
                bundle = HeadBundleCodec.Open(message, publicKey, _engine.BackboneHash, _engine.Dimension, maxBytes);
            }
            catch (FleetMessageRefusedException refused)
            {
                _logger.LogWarning("Head bundle refused ({Refusal}): {Reason}", refused.Reason, refused.Message);
                return BundleOutcome.Refused("unknown", 0, refused, _time.GetUtcNow());
            }

            if (_ledger.Find(bundle.BundleId) is { } earlier)
            {
                _logger.LogInformation("Head bundle {BundleId} was already applied as v{Version}; nothing changed", bundle.BundleId, earlier.Version);
                return earlier with { AlreadyApplied = true };
            }

            if (Recover(bundle) is { } recovered)
            {
                return recovered;
            }

            long last = _ledger.LastSequence(bundle.KeyId);
            if (bundle.Sequence <= last)
            {
                var replay = new FleetMessageRefusedException(FleetRefusal.Replay,
                    $"Bundle {bundle.BundleId} has sequence {bundle.Sequence}; this device already accepted sequence {last} from key {bundle.KeyId}.");
                _logger.LogWarning("Head bundle refused ({Refusal}): {Reason}", replay.Reason, replay.Message);
                return BundleOutcome.Refused(bundle.BundleId, bundle.Sequence, replay, _time.GetUtcNow());
            }

            try
            {
                return Adopt(bundle);
            }
            catch (FleetMessageRefusedException refused)
            {
                _logger.LogWarning("Head bundle {BundleId} refused ({Refusal}): {Reason}", bundle.BundleId, refused.Reason, refused.Message);
                return BundleOutcome.Refused(bundle.BundleId, bundle.Sequence, refused, _time.GetUtcNow());
            }
        }
    }

    private BundleOutcome Adopt(HeadBundle bundle)
    {
        var registry = _workspace.Registry;
        var set = _workspace.Store.LoadTrainingSet(_engine.BackboneHash);

        // The holdout split (original views only) is what neither head trained on. A device without one still
        // judges, on all its samples: the active head has seen those, so the comparison leans towards keeping it.
        bool onHoldout = set.Holdout.Views.Any(v => v == 0);
        var (x, labels) = Originals(onHoldout ? [set.Holdout] : [set.Train, set.Holdout], set);
        double threshold = _workspace.Options.UnknownThreshold ?? bundle.UnknownThreshold;
        ClassificationMetrics candidate;
        try
        {
            using var classifier = new HeadClassifier(bundle.HeadOnnx, bundle.Labels, bundle.EmbeddingDimension, (float)threshold, 0, _sessions);
            candidate = HeadEvaluation.Evaluate(classifier, x, set.Dimension, labels, applyThreshold: false);
        }
        catch (Exception ex) when (ex is not FleetMessageRefusedException and not OutOfMemoryException)
        {
            throw new FleetMessageRefusedException(FleetRefusal.Invalid, $"Bundle {bundle.BundleId}'s head cannot be run: {ex.Message}", ex);
        }

        var active = EvaluateActive(x, set.Dimension, labels);
        var decision = new EvaluationGate(_workspace.Options.GateTolerance).Decide(new GateInput
        {
            Candidate = candidate,
            Active = active,
        });
        if (!onHoldout)
        {
            decision = decision with { Reason = $"no holdout split on this device, judged on all {labels.Count} of its samples (the active head trained on them): {decision.Reason}" };
        }

        var stored = registry.Add(new HeadPayload
        {
            HeadOnnx = bundle.HeadOnnx,
            Checkpoint = bundle.Checkpoint,
            Labels = bundle.Labels,
            HeadKind = bundle.HeadKind,
            EmbeddingDimension = bundle.EmbeddingDimension,
            TrainingSettings = bundle.FeatureTransform,
            DatasetFingerprint = bundle.DatasetFingerprint,
            Novelty = bundle.Novelty,
            BackboneHash = bundle.BackboneHash,
            HoldoutMetrics = candidate,
            UnknownThreshold = bundle.UnknownThreshold,
            ParentVersion = registry.ActiveVersion,
            Trigger = new HeadTrigger { Source = HeadTriggerSource.Fleet, User = bundle.Origin, Note = bundle.TriggerNote },
            Gate = decision,
        });
        return Finish(bundle, stored.Version, decision);
    }

    /// <summary>The bundle was stored before a crash but not recorded: finish what the stored decision said.</summary>
    private BundleOutcome? Recover(HeadBundle bundle)
    {
        string prefix = $"fleet bundle {bundle.BundleId} ";
        var stored = _workspace.Registry.List().FirstOrDefault(v => v.Manifest.Trigger.Source == HeadTriggerSource.Fleet
            && v.Manifest.Trigger.Note?.StartsWith(prefix, StringComparison.Ordinal) == true);
        if (stored is null)
        {
            return null;
        }

        _logger.LogWarning("Head bundle {BundleId} was stored as {Version} before an interruption; finishing it", bundle.BundleId, stored.Name);
        return Finish(bundle, stored.Version, stored.Manifest.Gate);
    }

    private BundleOutcome Finish(HeadBundle bundle, int version, GateDecision decision)
    {
        var registry = _workspace.Registry;
        bool activated = decision.ShouldActivate;
        if (activated && !registry.History.Any(r => r.Version == version))
        {
            registry.Activate(version, "fleet bundle: " + decision.Reason);
        }

        registry.Prune(_workspace.Options.KeepHeads);
        var outcome = new BundleOutcome
        {
            BundleId = bundle.BundleId,
            Sequence = bundle.Sequence,
            Accepted = true,
            Version = version,
            Activated = activated,
            Reason = decision.Reason,
            CandidateAccuracy = decision.CandidateAccuracy,
            ActiveAccuracy = decision.ActiveAccuracy,
            DecidedUtc = _time.GetUtcNow(),
        };
        _ledger.RecordAccepted(bundle.KeyId, outcome);
        _logger.LogInformation("Head bundle {BundleId} stored as v{Version}; {Outcome}: {Reason}", bundle.BundleId, version, activated ? "activated" : "kept, not activated", decision.Reason);
        return outcome;
    }

    /// <summary>The original-view rows of <paramref name="parts"/> with their label names.</summary>
    private static (float[] X, List<string> Labels) Originals(Samples.LabeledEmbeddings[] parts, Samples.TrainingSet set)
    {
        int d = set.Dimension;
        var x = new List<float>();
        var labels = new List<string>();
        foreach (var part in parts)
        {
            for (int row = 0; row < part.Count; row++)
            {
                if (part.Views[row] == 0)
                {
                    x.AddRange(part.X.AsSpan(row * d, d));
                    labels.Add(set.Labels[part.Y[row]]);
                }
            }
        }

        return ([.. x], labels);
    }

    private ActiveHeadEvaluation? EvaluateActive(float[] x, int dimension, IReadOnlyList<string> labels)
    {
        var resolution = _workspace.Registry.ResolveActive();
        if (resolution.Head is not { } head || head.Manifest.BackboneHash != _engine.BackboneHash || head.Manifest.EmbeddingDimension != dimension)
        {
            return null;
        }

        using var classifier = new HeadClassifier(head.HeadOnnx.ToArray(), head.Manifest.Labels, dimension, (float)head.Manifest.UnknownThreshold, head.Version, _sessions);
        return new ActiveHeadEvaluation(head.Version, HeadEvaluation.Evaluate(classifier, x, dimension, labels, applyThreshold: false));
    }
}
