namespace DeviceHost.Api;

/// <summary>The frame loop's counters in /status.</summary>
/// <param name="LatencyMs">Capture-to-prediction latency over the recent window, in milliseconds.</param>
public sealed record PipelineStatus(
    long FramesCaptured,
    long FramesProcessed,
    long FramesDropped,
    long FailedFrames,
    double Fps,
    LatencyPercentiles LatencyMs);
