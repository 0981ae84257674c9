using OpenCvSharp;

namespace DeviceHost.Sources;

/// <summary>
/// The default source: on <see cref="Open"/>, the first V4L2 candidate device that opens and delivers a frame, else the
/// synthetic demo. Open blocks while probing (bounded by OpenCV's V4L2 select timeout).
/// Probing happens at every open, so a supervisor's reconnect picks up a camera plugged in later only after a failure.
/// </summary>
public sealed class AutoFrameSource : IFrameSource
{
    private readonly FrameSourceOptions _options;
    private IFrameSource? _resolved;

    public AutoFrameSource(FrameSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <summary>The source chosen by the last <see cref="Open"/>, or null before.</summary>
    public IFrameSource? Resolved => Volatile.Read(ref _resolved);

    /// <summary>Why cameras were passed over during the last <see cref="Open"/> (for a log line at startup).</summary>
    public IReadOnlyList<string> ProbeNotes { get; private set; } = [];

    /// <inheritdoc/>
    public FrameSourceKind Kind => Resolved?.Kind ?? FrameSourceKind.Auto;

    /// <inheritdoc/>
    public string DisplayName => Resolved is { } resolved ? $"auto ({resolved.DisplayName})" : "auto";

    /// <inheritdoc/>
    public double? NominalFps => Resolved?.NominalFps;

    /// <inheritdoc/>
    public bool IsOpen => Resolved?.IsOpen ?? false;

    /// <inheritdoc/>
    public void Open()
    {
        if (Resolved is { IsOpen: true })
        {
            return;
        }

        Resolved?.Dispose();
        var notes = new List<string>();
        foreach (var device in _options.AutoDeviceCandidates)
        {
            if (!File.Exists(device))
            {
                continue;
            }

            var camera = new V4l2FrameSource(FrameSourceUri.ForV4l2Device(device));
            try
            {
                camera.Open();
                // Some nodes open but never deliver BGR frames (Jetson CSI sensors give raw Bayer, metadata nodes nothing).
                using var probe = new Mat();
                if (camera.ReadAsync(probe).AsTask().GetAwaiter().GetResult())
                {
                    ProbeNotes = notes;
                    Volatile.Write(ref _resolved, camera);
                    return;
                }

                notes.Add($"{device} opened but delivered no frame (a raw-Bayer CSI sensor needs a gst: nvarguscamerasrc pipeline)");
            }
            catch (Exception ex) when (ex is FrameSourceException or OpenCVException)
            {
                notes.Add(ex.Message);
            }

            camera.Dispose();
        }

        notes.Add("no V4L2 camera opened; using the synthetic demo source");
        var demo = new SyntheticFrameSource(FrameSourceUri.Parse("synthetic:"), _options);
        demo.Open();
        ProbeNotes = notes;
        Volatile.Write(ref _resolved, demo);
    }

    /// <inheritdoc/>
    public ValueTask<bool> ReadAsync(Mat destination, CancellationToken cancellationToken = default) =>
        (Resolved ?? throw new InvalidOperationException("Frame source 'auto' is not open.")).ReadAsync(destination, cancellationToken);

    /// <inheritdoc/>
    public void Dispose() => Interlocked.Exchange(ref _resolved, null)?.Dispose();
}
