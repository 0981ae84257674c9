using System.Globalization;
using System.Text.Json;
using EdgeRuntime.Evaluation;
using EdgeRuntime.Novelty;

namespace EdgeRuntime.Heads;

/// <summary>A trained head to store: opaque model and checkpoint bytes plus what the manifest records about them.</summary>
public sealed record HeadPayload
{
    /// <summary>The head's ONNX model, stored as head.onnx.</summary>
    public required ReadOnlyMemory<byte> HeadOnnx { get; init; }

    /// <summary>The trainer's checkpoint (weights, optimizer state), stored as checkpoint.bin.</summary>
    public required ReadOnlyMemory<byte> Checkpoint { get; init; }

    /// <inheritdoc cref="HeadManifest.Labels"/>
    public required IReadOnlyList<string> Labels { get; init; }

    /// <inheritdoc cref="HeadManifest.HeadKind"/>
    public required string HeadKind { get; init; }

    /// <inheritdoc cref="HeadManifest.EmbeddingDimension"/>
    public required int EmbeddingDimension { get; init; }

    /// <inheritdoc cref="HeadManifest.TrainingSettings"/>
    public JsonElement? TrainingSettings { get; init; }

    /// <inheritdoc cref="HeadManifest.DatasetFingerprint"/>
    public required string DatasetFingerprint { get; init; }

    /// <inheritdoc cref="HeadManifest.BackboneHash"/>
    public required string BackboneHash { get; init; }

    /// <inheritdoc cref="HeadManifest.HoldoutMetrics"/>
    public ClassificationMetrics? HoldoutMetrics { get; init; }

    /// <inheritdoc cref="HeadManifest.Recipe"/>
    public HeadRecipe? Recipe { get; init; }

    /// <inheritdoc cref="HeadManifest.ExplicitHoldoutMetrics"/>
    public ClassificationMetrics? ExplicitHoldoutMetrics { get; init; }

    /// <inheritdoc cref="HeadManifest.UnknownThreshold"/>
    public required double UnknownThreshold { get; init; }

    /// <inheritdoc cref="HeadManifest.UnknownThresholdOverridden"/>
    public bool UnknownThresholdOverridden { get; init; }

    /// <inheritdoc cref="HeadManifest.Novelty"/>
    public NoveltyReport? Novelty { get; init; }

    /// <inheritdoc cref="HeadManifest.ParentVersion"/>
    public int? ParentVersion { get; init; }

    /// <inheritdoc cref="HeadManifest.Trigger"/>
    public required HeadTrigger Trigger { get; init; }

    /// <inheritdoc cref="HeadManifest.Gate"/>
    public required GateDecision Gate { get; init; }

    /// <summary>Throws <see cref="EdgeRuntimeException"/> naming the first field that cannot go into a manifest.</summary>
    internal void Validate()
    {
        if (HeadOnnx.IsEmpty)
        {
            throw new EdgeRuntimeException("The head model (head.onnx) is empty.");
        }

        if (Labels is null || Labels.Count == 0)
        {
            throw new EdgeRuntimeException("A head needs at least one label.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var label in Labels)
        {
            if (string.IsNullOrWhiteSpace(label) || !seen.Add(label))
            {
                throw new EdgeRuntimeException($"Label '{label}' is blank or repeated; head labels must be unique.");
            }
        }

        Require(HeadKind, nameof(HeadKind));
        Require(DatasetFingerprint, nameof(DatasetFingerprint));
        Require(BackboneHash, nameof(BackboneHash));
        if (EmbeddingDimension <= 0)
        {
            throw new EdgeRuntimeException(string.Create(CultureInfo.InvariantCulture, $"EmbeddingDimension must be positive, not {EmbeddingDimension}."));
        }

        if (!double.IsFinite(UnknownThreshold))
        {
            throw new EdgeRuntimeException(string.Create(CultureInfo.InvariantCulture, $"UnknownThreshold must be a finite number, not {UnknownThreshold}."));
        }

        if (HoldoutMetrics is { } metrics && !metrics.ClassNames.SequenceEqual(Labels, StringComparer.Ordinal))
        {
            throw new EdgeRuntimeException($"HoldoutMetrics classes ({string.Join(", ", metrics.ClassNames)}) are not the head labels ({string.Join(", ", Labels)}) in the same order.");
        }

        ArgumentNullException.ThrowIfNull(Trigger);
        ArgumentNullException.ThrowIfNull(Gate);
    }

    private static void Require(string value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new EdgeRuntimeException($"{name} must not be blank.");
        }
    }
}
