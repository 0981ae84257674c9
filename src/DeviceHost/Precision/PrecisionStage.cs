namespace DeviceHost.Precision;

/// <summary>What the background quantization is doing, for /status: stage, progress within it, last problem.</summary>
/// <param name="Stage">idle, waiting-for-images, calibrating, parity, re-embedding, done or failed.</param>
/// <param name="Done">Units done in the stage (images).</param>
/// <param name="Total">Units in the stage.</param>
/// <param name="Message">Why it waits or failed.</param>
public sealed record PrecisionStage(string Stage, int Done, int Total, string? Message);
