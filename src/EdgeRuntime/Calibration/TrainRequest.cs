using EdgeRuntime.Heads;
using EdgeRuntime.Training;

namespace EdgeRuntime.Calibration;

/// <summary>A request to train a head from the stored samples.</summary>
public sealed record TrainRequest
{
    public HeadKind? HeadKind { get; init; }

    /// <summary>
    /// An instant head: imprinted from class means on every sample, no gradient steps and no cross-validation
    /// (milliseconds), marked instant in its manifest; a full training should follow.
    /// </summary>
    public bool Instant { get; init; }

    /// <summary>Activate even if the gate would keep the current head; recorded in the manifest.</summary>
    public bool Force { get; init; }

    /// <summary>Free text kept in the head's manifest; at most <see cref="MaxNoteLength"/> characters.</summary>
    public string? Note { get; init; }

    /// <summary>Longest note accepted: it is stored in every manifest and shown in lists.</summary>
    public const int MaxNoteLength = 1000;

    public HeadTriggerSource Source { get; init; } = HeadTriggerSource.Cli;

    public string? User { get; init; }

    /// <summary>Why the request cannot be carried out, or null.</summary>
    public string? Problem() => Note is { Length: > MaxNoteLength }
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"The note has {Note.Length} characters; at most {MaxNoteLength} are kept with a head.")
        : Instant && HeadKind is not null
        ? $"An instant head is imprinted from class means; a head kind ({HeadKind}) applies only to a full training."
        : null;
}
