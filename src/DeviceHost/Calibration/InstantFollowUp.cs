namespace DeviceHost.Calibration;

/// <summary>What the device does after a training job activated an instant head (<c>Calibration:InstantFollowUp</c>).</summary>
public enum InstantFollowUp
{
    /// <summary>Start a full, cross-validated training job as soon as the job runner is idle; it goes through the gate like any other.</summary>
    FullTraining,

    /// <summary>Keep the instant head until someone asks for a training.</summary>
    None,
}
