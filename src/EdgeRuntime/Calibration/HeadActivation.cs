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
    public bool IsForThisBackbone(HeadManifest manifest) => engine.CanRunHeadsOf(manifest.BackboneHash);

    /// <summary>See <see cref="CalibrationWorkspace.LoadActiveClassifier"/>.</summary>
    public HeadClassifier? LoadActiveClassifier(out IReadOnlyList<string> problems)
    {
        var messages = new List<string>();
        problems = messages;
        if (registry.ActiveVersion is not int active)
        {
            return null;
        }

        // The active head, then the earlier ones in activation order: whatever stops one from running (corrupt files,
        // an unreadable directory, a session that will not start, another backbone) must not leave the device without
        // the previous good head, nor stop the service.
        var candidates = new List<int> { active };
        candidates.AddRange(registry.History.Select(h => h.Version).Reverse().Where(v => v != active).Distinct());
        foreach (int version in candidates.Where(registry.Contains))
        {
            try
            {
                var head = registry.Load(version);
                if (!IsForThisBackbone(head.Manifest))
                {
                    messages.Add($"Head v{head.Version} was trained for another backbone ({head.Manifest.BackboneHash}); train a new head.");
                    continue;
                }

                var threshold = options.UnknownThreshold ?? head.Manifest.UnknownThreshold;
                var classifier = new HeadClassifier(head.HeadOnnx.ToArray(), head.Manifest.Labels, head.Manifest.EmbeddingDimension, (float)threshold, head.Version, sessions, options.NoveltyRejects);
                if (version != active)
                {
                    messages.Add($"Active head v{active} could not be loaded; running v{version} instead.");
                }

                return classifier;
            }
            catch (Exception ex) when (ex is EdgeRuntimeException or IOException or UnauthorizedAccessException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
            {
                messages.Add(ex is CorruptHeadException ? ex.Message : $"Head v{version} cannot run: {ex.Message}");
            }
        }

        messages.Add($"No stored head can run (active v{active}); the device needs calibration.");
        return null;
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

    /// <summary>See <see cref="CalibrationWorkspace.Rollback"/>; refused like <see cref="Activate"/> when the target is for another backbone.</summary>
    public ActivationRecord Rollback(string reason)
    {
        if (registry.RollbackTarget is int target && registry.Get(target) is { } head && !IsForThisBackbone(head.Manifest))
        {
            throw new HeadBackboneMismatchException(
                $"Rolling back would make {head.Name} active, which was trained for another backbone ({head.Manifest.BackboneHash}, loaded: {engine.BackboneHash}); train a new head instead.");
        }

        return registry.Rollback(reason);
    }

    public TrainedHead LoadTrainedHead(int version) => TrainedHead.FromCheckpoint(registry.Load(version).Checkpoint.ToArray());
}
