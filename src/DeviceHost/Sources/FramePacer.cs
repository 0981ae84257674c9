namespace DeviceHost.Sources;

/// <summary>Spaces reads of a generated or file source at a frame rate without bursting to catch up after a pause.</summary>
internal sealed class FramePacer
{
    private readonly TimeProvider _time;
    private readonly long _intervalTicks;
    private long? _due;

    public FramePacer(TimeProvider time, double fps)
    {
        _time = time;
        // Timestamps, not wall time: a Jetson's clock jumps when NTP syncs after boot.
        _intervalTicks = (long)(time.TimestampFrequency / fps);
    }

    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetTimestamp();
        if (_due is { } due && due > now)
        {
            await Task.Delay(_time.GetElapsedTime(now, due), _time, cancellationToken).ConfigureAwait(false);
            now = due;
        }

        _due = now + _intervalTicks;
    }
}
