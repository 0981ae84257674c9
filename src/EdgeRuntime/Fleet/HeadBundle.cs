using System.Text.Json;
using EdgeRuntime.Evaluation;

namespace EdgeRuntime.Fleet;

/// <summary>
/// The signed payload of a head bundle (schema <see cref="CurrentSchema"/>, see docs/fleet.md): a trained head's files
/// and everything a device needs to run and judge it. Camel-case JSON inside a <see cref="SignedEnvelope"/>.
/// </summary>
public sealed record HeadBundle
{
    public const int CurrentSchema = 1;

    /// <summary>Payload schema version.</summary>
    public int Schema { get; init; } = CurrentSchema;

    /// <summary>Unique id of this bundle (a GUID, "N" format); a device applies each id at most once.</summary>
    public required string BundleId { get; init; }

    /// <summary>Publisher-assigned, strictly increasing per signing key; anything not above the last accepted is a replay.</summary>
    public required long Sequence { get; init; }

    /// <summary>Key id (<see cref="FleetKeys.KeyId"/>) of the signing key, so the device can keep one sequence per key.</summary>
    public required string KeyId { get; init; }

    public required DateTimeOffset CreatedUtc { get; init; }

    /// <summary>Who published it ("device-7 v12", "aggregate of 3 devices").</summary>
    public required string Origin { get; init; }

    /// <summary>Hash of the backbone the head takes embeddings from; devices running another backbone refuse the bundle.</summary>
    public required string BackboneHash { get; init; }

    public required int EmbeddingDimension { get; init; }

    /// <summary>Class names in output order.</summary>
    public required IReadOnlyList<string> Labels { get; init; }

    public required string HeadKind { get; init; }

    /// <summary>The publisher's unknown threshold (a device's own override wins).</summary>
    public required double UnknownThreshold { get; init; }

    /// <summary>
    /// The feature transform and input scaling the head was trained under, as its manifest records it (the trainer's
    /// settings). The transform itself is part of head.onnx, so the device runs the head as is.
    /// </summary>
    public JsonElement? FeatureTransform { get; init; }

    /// <summary>The publisher's own metrics, for people; devices decide on their own data.</summary>
    public ClassificationMetrics? PublisherMetrics { get; init; }

    public required string DatasetFingerprint { get; init; }

    /// <summary>The publisher's novelty report (score, threshold, AUROC) when head.onnx carries a novelty model.</summary>
    public EdgeRuntime.Novelty.NoveltyReport? Novelty { get; init; }

    /// <summary>head.onnx (base64 in JSON).</summary>
    public required byte[] HeadOnnx { get; init; }

    /// <summary>checkpoint.bin (base64 in JSON).</summary>
    public required byte[] Checkpoint { get; init; }

    /// <summary>Lower-case hex SHA-256 of <see cref="HeadOnnx"/>.</summary>
    public required string HeadOnnxSha256 { get; init; }

    /// <summary>Lower-case hex SHA-256 of <see cref="Checkpoint"/>.</summary>
    public required string CheckpointSha256 { get; init; }

    public string? Note { get; init; }

    /// <summary>The note recorded in the device's head manifest; finding it there means the bundle is already applied.</summary>
    public string TriggerNote => $"fleet bundle {BundleId} seq {Sequence}" + (Note is { Length: > 0 } ? ": " + Note : string.Empty);

    internal static JsonSerializerOptions Json => EvaluationJson.Options;
}
