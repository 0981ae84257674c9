namespace EdgeRuntime;

/// <summary>
/// Whose fault an <see cref="EdgeRuntimeException"/> is. Client faults (the request or input is wrong) are answered
/// 4xx and fixed by the caller; operational faults (the device's disk, files or accelerator) are answered 5xx or 503
/// with the cause named, and fixed on the device.
/// </summary>
public enum FaultKind
{
    /// <summary>The input breaks a rule (client, 400).</summary>
    InvalidInput,

    /// <summary>The named thing does not exist (client, 404).</summary>
    NotFound,

    /// <summary>The request conflicts with the current state (client, 409).</summary>
    Conflict,

    /// <summary>The input is larger than allowed (client, 413).</summary>
    TooLarge,

    /// <summary>The device is still starting or a part of it is down (operational, 503).</summary>
    NotReady,

    /// <summary>Reading or writing the data directory failed: disk full, I/O error, permissions (operational, 5xx).</summary>
    Storage,

    /// <summary>A stored file is damaged (operational, 500).</summary>
    Corrupt,

    /// <summary>The inference runtime or its execution provider failed (operational, 500).</summary>
    Provider,
}
