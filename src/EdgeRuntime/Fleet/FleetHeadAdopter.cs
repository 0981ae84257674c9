using System.Security.Cryptography;
using EdgeRuntime.Calibration;
using EdgeRuntime.Embeddings;
using EdgeRuntime.Evaluation;
using EdgeRuntime.Heads;
using Microsoft.Extensions.Logging;

namespace EdgeRuntime.Fleet;

/// <summary>
/// Takes a signed head bundle from the fleet through this device's own rules: verify, refuse replays, then hand it
/// to <see cref="CalibrationWorkspace.AdoptHead"/>, which stores it (trigger <see cref="HeadTriggerSource.Fleet"/>)
/// and lets this device's gate decide with the local rule, after any running training. Idempotent per bundle id
/// across crashes: the id is in the stored manifest's trigger note and in the <see cref="BundleLedger"/>. Borrows the
/// workspace and the engine it was opened with; one bundle at a time.
/// </summary>
public sealed class FleetHeadAdopter
{
    private readonly Lock _gate = new();
    private readonly CalibrationWorkspace _workspace;
    private readonly EmbeddingEngine _engine;
    private readonly BundleLedger _ledger;
    private readonly ILogger<FleetHeadAdopter> _logger;
    private readonly TimeProvider _time;

    public FleetHeadAdopter(CalibrationWorkspace workspace, EmbeddingEngine engine, BundleLedger ledger, ILogger<FleetHeadAdopter> logger, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(engine);
        if (workspace.BackboneHash != engine.BackboneHash)
        {
            throw new ArgumentException($"The workspace runs backbone {workspace.BackboneHash}, not the engine's {engine.BackboneHash}.", nameof(engine));
        }

        (_workspace, _engine, _ledger, _logger) = (workspace, engine, ledger, logger);
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
        AdoptionResult result;
        try
        {
            result = _workspace.AdoptHead(new ExternalHead
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
                UnknownThreshold = bundle.UnknownThreshold,
                Trigger = new HeadTrigger { Source = HeadTriggerSource.Fleet, User = bundle.Origin, Note = bundle.TriggerNote },
                RecoveryKey = $"fleet bundle {bundle.BundleId} ",
            });
        }
        catch (EdgeRuntimeException ex) when (ex.Fault == FaultKind.Corrupt)
        {
            throw new FleetMessageRefusedException(FleetRefusal.Invalid, $"Bundle {bundle.BundleId}'s head cannot be run: {ex.Message}", ex);
        }

        if (result.Recovered)
        {
            _logger.LogWarning("Head bundle {BundleId} was stored as v{Version} before an interruption; finished it", bundle.BundleId, result.Version);
        }

        return Finish(bundle, result.Version, result.Decision);
    }

    private BundleOutcome Finish(HeadBundle bundle, int version, GateDecision decision)
    {
        bool activated = decision.ShouldActivate;
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
}
