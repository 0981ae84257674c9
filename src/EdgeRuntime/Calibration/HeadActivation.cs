using EdgeRuntime.Embeddings;
using EdgeRuntime.Execution;
using EdgeRuntime.Heads;
using EdgeRuntime.Inference;
using EdgeRuntime.Training;

namespace EdgeRuntime.Calibration;

/// <summary>
/// Which head runs: loading the active one for inference, manual activation and rollback, with the rule that a head
/// only runs behind the backbone it was trained on. Borrows the registry, the engine and the session factory.
/// </summary>
internal sealed class HeadActivation(HeadRegistry registry, EmbeddingEngine engine, OrtSessionFactory sessions, CalibrationOptions options)
{
    public bool IsForThisBackbone(HeadManifest manifest) => manifest.BackboneHash == engine.BackboneHash;

    /// <summary>See <see cref="CalibrationWorkspace.LoadActiveClassifier"/>.</summary>
    public HeadClassifier? LoadActiveClassifier(out IReadOnlyList<string> problems)
    {
        var resolution = registry.ResolveActive();
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

        if (!IsForThisBackbone(head.Manifest))
        {
            messages.Add($"Head v{head.Version} was trained for another backbone ({head.Manifest.BackboneHash}); train a new head.");
            return null;
        }

        var threshold = options.UnknownThreshold ?? head.Manifest.UnknownThreshold;
        return new HeadClassifier(head.HeadOnnx.ToArray(), head.Manifest.Labels, head.Manifest.EmbeddingDimension, (float)threshold, head.Version, sessions);
    }

    /// <summary>See <see cref="CalibrationWorkspace.Activate"/>.</summary>
    public ActivationRecord Activate(int version, string reason, bool forced)
    {
        var head = registry.Get(version);
        if (!IsForThisBackbone(head.Manifest))
        {
            // Activating it would leave the device without a usable head: it cannot read this backbone's embeddings.
            throw new HeadBackboneMismatchException(
                $"Head {head.Name} was trained for another backbone ({head.Manifest.BackboneHash}, loaded: {engine.BackboneHash}); it cannot run on this one: train a new head instead.");
        }

        return registry.Activate(version, reason, forced);
    }

    public ActivationRecord Rollback(string reason) => registry.Rollback(reason);

    public TrainedHead LoadTrainedHead(int version) => TrainedHead.FromCheckpoint(registry.Load(version).Checkpoint.ToArray());
}
