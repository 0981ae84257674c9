using System.Text.Json;
using EdgeRuntime.Evaluation;
using EdgeRuntime.Novelty;

namespace EdgeRuntime.Heads;

/// <summary>
/// Everything known about one stored head version; <c>manifest.json</c> in its directory (camelCase JSON, see
/// <see cref="EvaluationJson.Options"/>). Written once by <see cref="HeadRegistry.Add"/>, never changed.
/// </summary>
public sealed record HeadManifest
{
    /// <summary>Manifest schema version, for readers of old manifests.</summary>
    public int FormatVersion { get; init; } = 1;

    /// <summary>Registry version number, increasing, never reused.</summary>
    public required int Version { get; init; }

    /// <summary>Display name: "v7".</summary>
    public string Name => HeadVersion.FormatName(Version);

    /// <summary>When the version was stored (UTC).</summary>
    public required DateTimeOffset CreatedUtc { get; init; }

    /// <summary>Class names in output order: output i of the head is Labels[i].</summary>
    public required IReadOnlyList<string> Labels { get; init; }

    /// <summary>Head architecture, as named by the trainer (e.g. "linear", "mlp").</summary>
    public required string HeadKind { get; init; }

    /// <summary>Length of the backbone embedding the head takes.</summary>
    public required int EmbeddingDimension { get; init; }

    /// <summary>Trainer settings, stored as given.</summary>
    public JsonElement? TrainingSettings { get; init; }

    /// <summary>Identifies the samples the head was trained and evaluated on.</summary>
    public required string DatasetFingerprint { get; init; }

    /// <summary>Hash of the backbone model whose embeddings the head was trained on.</summary>
    public required string BackboneHash { get; init; }

    /// <summary>
    /// Metrics on data the head did not train on: the out-of-fold predictions of cross-validation for a few-shot head
    /// (heads from before: their holdout split); null for an instant head, which has no estimate.
    /// </summary>
    public ClassificationMetrics? HoldoutMetrics { get; init; }

    /// <summary>Recipe and cross-validation estimate of a few-shot head; null for heads from before (see <see cref="HeadRecipe"/>).</summary>
    public HeadRecipe? Recipe { get; init; }

    /// <summary>The deployed head on the technician's explicit holdout (<c>Calibration:ExplicitHoldout</c>); null without one.</summary>
    public ClassificationMetrics? ExplicitHoldoutMetrics { get; init; }

    /// <summary>Below this score the head answers "unknown".</summary>
    public required double UnknownThreshold { get; init; }

    /// <summary>True when a person set the threshold instead of the trainer choosing it.</summary>
    public bool UnknownThresholdOverridden { get; init; }

    /// <summary>The novelty score, its threshold and validation AUROC; null for a head without a novelty model.</summary>
    public NoveltyReport? Novelty { get; init; }

    /// <summary>The version this one was trained from or meant to replace; null when none.</summary>
    public int? ParentVersion { get; init; }

    /// <summary>Who or what asked for this head.</summary>
    public required HeadTrigger Trigger { get; init; }

    /// <summary>The evaluation gate's verdict when the head was stored.</summary>
    public required GateDecision Gate { get; init; }

    /// <summary>Lower-case hex SHA-256 of head.onnx.</summary>
    public required string HeadOnnxSha256 { get; init; }

    /// <summary>Size of head.onnx in bytes.</summary>
    public required long HeadOnnxBytes { get; init; }

    /// <summary>Lower-case hex SHA-256 of checkpoint.bin.</summary>
    public required string CheckpointSha256 { get; init; }

    /// <summary>Size of checkpoint.bin in bytes.</summary>
    public required long CheckpointBytes { get; init; }

    /// <summary>The manifest of <paramref name="payload"/> stored as <paramref name="version"/>, hashing its files.</summary>
    internal static HeadManifest Create(int version, DateTimeOffset createdUtc, HeadPayload payload) => new()
    {
        Version = version,
        CreatedUtc = createdUtc,
        Labels = [.. payload.Labels],
        HeadKind = payload.HeadKind,
        EmbeddingDimension = payload.EmbeddingDimension,
        TrainingSettings = payload.TrainingSettings?.Clone(),
        DatasetFingerprint = payload.DatasetFingerprint,
        BackboneHash = payload.BackboneHash,
        HoldoutMetrics = payload.HoldoutMetrics,
        Recipe = payload.Recipe,
        ExplicitHoldoutMetrics = payload.ExplicitHoldoutMetrics,
        UnknownThreshold = payload.UnknownThreshold,
        UnknownThresholdOverridden = payload.UnknownThresholdOverridden,
        Novelty = payload.Novelty,
        ParentVersion = payload.ParentVersion,
        Trigger = payload.Trigger,
        Gate = payload.Gate,
        HeadOnnxSha256 = HeadFiles.Sha256(payload.HeadOnnx.Span),
        HeadOnnxBytes = payload.HeadOnnx.Length,
        CheckpointSha256 = HeadFiles.Sha256(payload.Checkpoint.Span),
        CheckpointBytes = payload.Checkpoint.Length,
    };
}
