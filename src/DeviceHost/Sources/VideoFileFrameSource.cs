using OpenCvSharp;

namespace DeviceHost.Sources;

/// <summary>
/// A video file played like a camera: paced at its own frame rate (option realtime, default true) and optionally looping
/// (option loop, default false). Looping reopens the file, so a file deleted or replaced meanwhile is noticed.
/// </summary>
public sealed class VideoFileFrameSource : VideoCaptureFrameSource
{
    private const double FallbackFps = 25;
    private readonly bool _loop;
    private readonly bool _realtime;
    private readonly TimeProvider _time;
    private FramePacer? _pacer;

    public VideoFileFrameSource(FrameSourceUri uri, FrameSourceOptions options)
        : base(uri)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (uri.Kind != FrameSourceKind.File)
        {
            throw new ArgumentException($"Expected a file address, got {uri.Kind}.", nameof(uri));
        }

        _loop = uri.Parameters.GetBool("loop", false);
        _realtime = uri.Parameters.GetBool("realtime", true);
        _time = options.TimeProvider;
    }

    /// <summary>The video file path.</summary>
    public string FilePath => Uri.Target;

    /// <summary>Whether the file restarts at its end.</summary>
    public bool Loop => _loop;

    /// <inheritdoc/>
    public override async ValueTask<bool> ReadAsync(Mat destination, CancellationToken cancellationToken = default)
    {
        if (_realtime)
        {
            _pacer ??= new FramePacer(_time, NominalFps ?? FallbackFps);
            await _pacer.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return await base.ReadAsync(destination, cancellationToken).ConfigureAwait(false);
    }

    protected override string OpenFailureHint =>
        File.Exists(FilePath)
            ? "FFmpeg could not decode it (unsupported codec or a file still being written)"
            : $"{FilePath} does not exist";

    protected override VideoCapture CreateCapture()
    {
        if (!File.Exists(FilePath))
        {
            throw new FrameSourceException($"Could not open File source '{DisplayName}': {FilePath} does not exist.", isPermanent: false);
        }

        return new VideoCapture(FilePath, VideoCaptureAPIs.FFMPEG);
    }

    protected override bool ReadFrame(Mat destination)
    {
        if (ReadInto(destination))
        {
            return true;
        }

        if (!_loop)
        {
            return false;
        }

        try
        {
            Reopen();
        }
        catch (FrameSourceException)
        {
            // Deleted or unreadable now: report no frame and let the supervisor reconnect and say why.
            return false;
        }

        return ReadInto(destination);
    }
}
