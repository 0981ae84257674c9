namespace DeviceHost.Calibration;

/// <summary>Life of a training job.</summary>
public enum TrainingJobState
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}
