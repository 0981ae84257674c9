namespace DeviceHost.Sources;

/// <summary>Health of a supervised frame source, as shown on /status.</summary>
public enum FrameSourceState
{
    /// <summary>First open in progress (or opened, waiting for the first frame).</summary>
    Connecting,

    /// <summary>Frames are arriving.</summary>
    Streaming,

    /// <summary>No frame within the stall timeout; the source is being torn down to reconnect.</summary>
    Stalled,

    /// <summary>Waiting out a backoff delay or reopening after a failure.</summary>
    Reconnecting,

    /// <summary>
    /// Repeated failures (still retrying at the capped backoff), or a permanent error such as a bad address or a missing
    /// OpenCV backend (not retried).
    /// </summary>
    Failed,
}
