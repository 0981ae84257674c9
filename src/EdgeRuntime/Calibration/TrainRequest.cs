using EdgeRuntime.Heads;
using EdgeRuntime.Training;

namespace EdgeRuntime.Calibration;

/// <summary>A request to train a head from the stored samples.</summary>
public sealed record TrainRequest
{
    public HeadKind? HeadKind { get; init; }

    /// <summary>Activate even if the gate would keep the current head; recorded in the manifest.</summary>
    public bool Force { get; init; }

    public string? Note { get; init; }

    public HeadTriggerSource Source { get; init; } = HeadTriggerSource.Cli;

    public string? User { get; init; }
}
