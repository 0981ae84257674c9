using System.Text.Json;
using EdgeRuntime.Heads;
using EdgeRuntime.Novelty;

namespace EdgeRuntime.Calibration;

/// <summary>
/// A head trained somewhere else (a fleet bundle) that this device should judge on its own samples and store.
/// <see cref="RecoveryKey"/> identifies it among stored versions, so an adoption interrupted after the store is
/// finished, not repeated.
/// </summary>
public sealed record ExternalHead
{
    public required byte[] HeadOnnx { get; init; }

    public required byte[] Checkpoint { get; init; }

    public required IReadOnlyList<string> Labels { get; init; }

    public required string HeadKind { get; init; }

    public required int EmbeddingDimension { get; init; }

    public JsonElement? TrainingSettings { get; init; }

    public required string DatasetFingerprint { get; init; }

    public required string BackboneHash { get; init; }

    public required double UnknownThreshold { get; init; }

    public NoveltyReport? Novelty { get; init; }

    /// <summary>Stored in the manifest; its note must start with <see cref="RecoveryKey"/>.</summary>
    public required HeadTrigger Trigger { get; init; }

    /// <summary>The prefix of <see cref="HeadTrigger.Note"/> that only this head's stored version has.</summary>
    public required string RecoveryKey { get; init; }
}
