namespace EdgeRuntime.Calibration;

/// <summary>A training run was requested while another one is running.</summary>
public sealed class TrainingInProgressException : EdgeRuntimeException
{
    /// <inheritdoc/>
    public override FaultKind Fault => FaultKind.Conflict;

    public TrainingInProgressException()
        : base("A training run is already in progress; wait for it to finish.")
    {
    }

    public TrainingInProgressException(string message)
        : base(message)
    {
    }

    public TrainingInProgressException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
