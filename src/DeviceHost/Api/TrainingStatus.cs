using DeviceHost.Calibration;

namespace DeviceHost.Api;

/// <summary>The current (or last) training job in /status; GET /jobs/{id} has the details.</summary>
/// <param name="Epoch">Epochs finished so far.</param>
public sealed record TrainingStatus(string Id, TrainingJobState State, int Epoch, string? Error);
