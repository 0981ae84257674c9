namespace DeviceHost.Calibration;

/// <summary>The device's training-job behaviour, bound from the <c>Calibration</c> section next to the engine's own options.</summary>
public sealed class TrainingJobOptions
{
    /// <summary>Default <see cref="InstantFollowUp.FullTraining"/>: the instant head is a stop-gap, the user gets the cross-validated one without asking.</summary>
    public InstantFollowUp InstantFollowUp { get; set; } = InstantFollowUp.FullTraining;

    /// <summary>The first problem, naming the key, or null.</summary>
    public string? Validate() => Enum.IsDefined(InstantFollowUp)
        ? null
        : $"Calibration:InstantFollowUp must be FullTraining or None, not {(int)InstantFollowUp}.";
}
