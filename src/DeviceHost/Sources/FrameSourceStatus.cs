namespace DeviceHost.Sources;

/// <summary>A consistent snapshot of a <see cref="SupervisedFrameSource"/> for /status and metrics.</summary>
/// <param name="Source">Display name, credentials redacted.</param>
/// <param name="Kind">Source kind (the resolved kind for auto once open).</param>
/// <param name="State">Current state.</param>
/// <param name="Since">When the current state began.</param>
/// <param name="LastError">Most recent failure, if any (kept after recovery, for the record).</param>
/// <param name="LastErrorAt">When <paramref name="LastError"/> happened.</param>
/// <param name="LastFrameAt">When the last frame arrived.</param>
/// <param name="FramesCaptured">Frames delivered since start.</param>
/// <param name="ReadFailures">Reads that returned no frame or threw.</param>
/// <param name="Reconnects">Open attempts after the first one.</param>
/// <param name="Stalls">Times the stall detector fired.</param>
/// <param name="RetryStreak">Reconnect cycles since the last frame (0 while healthy).</param>
/// <param name="NextAttemptAt">When the next open attempt is due, while waiting out a backoff.</param>
/// <param name="NominalFps">The source's nominal frame rate, when known.</param>
/// <param name="StallTimeout">Silence after which the source counts as stalled.</param>
public sealed record FrameSourceStatus(
    string Source,
    FrameSourceKind Kind,
    FrameSourceState State,
    DateTimeOffset Since,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    DateTimeOffset? LastFrameAt,
    long FramesCaptured,
    long ReadFailures,
    long Reconnects,
    long Stalls,
    int RetryStreak,
    DateTimeOffset? NextAttemptAt,
    double? NominalFps,
    TimeSpan StallTimeout);
