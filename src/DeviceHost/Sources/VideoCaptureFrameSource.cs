using OpenCvSharp;
using EdgeRuntime.Interop;

namespace DeviceHost.Sources;

/// <summary>
/// Base of the sources OpenCV's <see cref="VideoCapture"/> reads (V4L2, GStreamer, FFmpeg streams and files).
/// Owns the capture and its capture thread (a <see cref="DedicatedThread"/>): every native call runs there, below inference's priority, and
/// a caller can watch for stalls while a native read blocks.
/// </summary>
public abstract class VideoCaptureFrameSource : IFrameSource
{
    // Held for the whole of every native call on the capture, so Dispose never frees it under a running read.
    private readonly Lock _gate = new();
    private readonly Mat _scratch = new();
    private readonly DedicatedThread _thread;
    private VideoCapture? _capture;
    private bool _opened;
    private bool _disposed;

    protected VideoCaptureFrameSource(FrameSourceUri uri, int captureNice)
    {
        ArgumentNullException.ThrowIfNull(uri);
        Uri = uri;
        _thread = new DedicatedThread($"capture {uri.Kind}", captureNice);
    }

    /// <summary>The parsed address (credentials included; show <see cref="DisplayName"/> instead).</summary>
    protected FrameSourceUri Uri { get; }

    /// <inheritdoc/>
    public FrameSourceKind Kind => Uri.Kind;

    /// <inheritdoc/>
    public string DisplayName => Uri.DisplayName;

    /// <inheritdoc/>
    public double? NominalFps { get; private set; }

    /// <summary>True while a capture is open (false again once a looping reopen failed or after dispose).</summary>
    public bool IsOpen => Volatile.Read(ref _capture) is not null;

    /// <inheritdoc/>
    public void Open() => _thread.Invoke(OpenOnCaptureThread);

    private bool OpenOnCaptureThread()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_capture is null)
            {
                _capture = OpenCapture();
                _opened = true;
                var fps = _capture.Fps;
                NominalFps = fps is > 0 and < 1000 ? fps : null;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public virtual ValueTask<bool> ReadAsync(Mat destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        cancellationToken.ThrowIfCancellationRequested();
        if (!Volatile.Read(ref _opened))
        {
            throw new InvalidOperationException($"Frame source '{DisplayName}' is not open.");
        }

        if (Volatile.Read(ref _disposed))
        {
            return ValueTask.FromResult(false);
        }

        // Not cancellable once started: the native read must finish before anyone may dispose the capture.
        try
        {
            return new ValueTask<bool>(_thread.RunAsync(() =>
            {
                lock (_gate)
                {
                    return !_disposed && _capture is not null && ReadFrame(destination);
                }
            }));
        }
        catch (ObjectDisposedException)
        {
            // Disposed between the check and the call: a disposed source has no frames, as above.
            return ValueTask.FromResult(false);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Creates and opens the capture, configured; throws <see cref="FrameSourceException"/> when it cannot.</summary>
    protected abstract VideoCapture CreateCapture();

    /// <summary>Why opening may have failed, appended to the open error.</summary>
    protected virtual string OpenFailureHint => "OpenCV could not open it";

    /// <summary>Reads one frame; runs under the capture lock. Subclasses add looping by calling <see cref="Reopen"/>.</summary>
    protected virtual bool ReadFrame(Mat destination) => ReadInto(destination);

    /// <summary>Reads from the current capture into <paramref name="destination"/> as BGR.</summary>
    protected bool ReadInto(Mat destination)
    {
        if (_capture is null || !ReadCaptured(_capture, destination) || destination.Empty())
        {
            return false;
        }

        FrameConversion.EnsureBgr(destination, _scratch);
        return true;
    }

    /// <summary>Reads one frame from <paramref name="capture"/> (subclasses may decode raw packets themselves).</summary>
    protected virtual bool ReadCaptured(VideoCapture capture, Mat destination)
    {
        ArgumentNullException.ThrowIfNull(capture);
        return capture.Read(destination);
    }

    /// <summary>Replaces the capture with a freshly opened one (only from <see cref="ReadFrame"/>); throws when it cannot.</summary>
    protected void Reopen()
    {
        _capture?.Dispose();
        _capture = null;
        _capture = OpenCapture();
    }

    protected virtual void Dispose(bool disposing)
    {
        if (!disposing)
        {
            return;
        }

        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _capture?.Dispose();
            _capture = null;
            _scratch.Dispose();
            _thread.Dispose();
        }
    }

    private VideoCapture OpenCapture()
    {
        VideoCapture capture;
        try
        {
            capture = CreateCapture();
        }
        catch (OpenCVException ex)
        {
            throw new FrameSourceException($"Could not open {Kind} source '{DisplayName}': {OpenFailureHint} ({ex.Message}).", isPermanent: false, ex);
        }

        if (!capture.IsOpened())
        {
            capture.Dispose();
            throw new FrameSourceException($"Could not open {Kind} source '{DisplayName}': {OpenFailureHint}.", isPermanent: false);
        }

        return capture;
    }
}
