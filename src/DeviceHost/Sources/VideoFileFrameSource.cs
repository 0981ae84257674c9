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
    private readonly bool _fullDecode;
    private readonly int _minimumSide;
    private readonly Mat _packet = new();
    private FramePacer? _pacer;
    private bool _rawJpeg;

    public VideoFileFrameSource(FrameSourceUri uri, FrameSourceOptions options)
        : base(uri, (options ?? throw new ArgumentNullException(nameof(options))).CaptureNice)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (uri.Kind != FrameSourceKind.File)
        {
            throw new ArgumentException($"Expected a file address, got {uri.Kind}.", nameof(uri));
        }

        _loop = uri.Parameters.GetBool("loop", false);
        _realtime = uri.Parameters.GetBool("realtime", true);
        _time = options.TimeProvider;
        _fullDecode = string.Equals(uri.Parameters.GetString("decode"), "full", StringComparison.OrdinalIgnoreCase);
        _minimumSide = options.MinimumDecodedSide;
    }

    /// <summary>True while MJPEG frames are read as raw JPEG and decoded at half size.</summary>
    public bool DecodesAtHalfSize => Volatile.Read(ref _rawJpeg);

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

        var capture = new VideoCapture(FilePath, VideoCaptureAPIs.FFMPEG);
        bool large = Math.Min(capture.FrameWidth, capture.FrameHeight) >= 2 * _minimumSide;

        // FFmpeg hands out the JPEG packets themselves in this mode; libjpeg then decodes them straight to half size.
        Volatile.Write(ref _rawJpeg, !_fullDecode && large && capture.IsOpened() && capture.FourCC == "MJPG" && capture.Set(VideoCaptureProperties.Format, -1));
        return capture;
    }

    protected override bool ReadCaptured(VideoCapture capture, Mat destination)
    {
        ArgumentNullException.ThrowIfNull(capture);
        ArgumentNullException.ThrowIfNull(destination);
        if (!_rawJpeg)
        {
            return capture.Read(destination);
        }

        if (!capture.Read(_packet) || _packet.Empty())
        {
            return false;
        }

        using var decoded = Cv2.ImDecode(_packet, ImreadModes.ReducedColor2);
        if (decoded.Empty())
        {
            return false;
        }

        decoded.CopyTo(destination);
        return true;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _packet.Dispose();
        }
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
