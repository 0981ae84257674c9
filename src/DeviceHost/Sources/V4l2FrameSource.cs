using System.Globalization;
using OpenCvSharp;

namespace DeviceHost.Sources;

/// <summary>A USB or CSI camera through Video4Linux2. Options: width, height, fps, fourcc (e.g. MJPG), buffers.</summary>
public sealed class V4l2FrameSource : VideoCaptureFrameSource
{
    private readonly int _width;
    private readonly int _height;
    private readonly double _fps;
    private readonly string? _fourcc;
    private readonly int _buffers;

    public V4l2FrameSource(FrameSourceUri uri, FrameSourceOptions? options = null)
        : base(uri, options?.CaptureNice ?? FrameSourceOptions.DefaultCaptureNice)
    {
        if (uri.Kind != FrameSourceKind.V4l2)
        {
            throw new ArgumentException($"Expected a V4L2 address, got {uri.Kind}.", nameof(uri));
        }

        _width = uri.Parameters.GetInt("width", 0, 1, 16384);
        _height = uri.Parameters.GetInt("height", 0, 1, 16384);
        _fps = uri.Parameters.GetDouble("fps", 0, 0.1, 1000);
        _buffers = uri.Parameters.GetInt("buffers", 0, 1, 32);
        _fourcc = uri.Parameters.GetString("fourcc");
        if (_fourcc is not null && _fourcc.Length != 4)
        {
            throw FrameSourceUri.Invalid(uri.Original, $"option 'fourcc={_fourcc}' must be four characters, e.g. MJPG or YUYV");
        }
    }

    /// <summary>The device path (/dev/video0) this source opens.</summary>
    public string DevicePath => Uri.DeviceIndex is { } index ? "/dev/video" + index.ToString(CultureInfo.InvariantCulture) : Uri.Target;

    protected override string OpenFailureHint =>
        File.Exists(DevicePath)
            ? "the device exists but did not start streaming (busy in another process, or not a capture node)"
            : $"{DevicePath} does not exist (camera unplugged?)";

    protected override VideoCapture CreateCapture()
    {
        if (!File.Exists(DevicePath))
        {
            // Skips OpenCV's warning spam for the common "no camera" case.
            throw new FrameSourceException($"Could not open V4l2 source '{DisplayName}': {DevicePath} does not exist (camera unplugged?).", isPermanent: false);
        }

        var capture = Uri.DeviceIndex is { } index
            ? new VideoCapture(index, VideoCaptureAPIs.V4L2)
            : new VideoCapture(Uri.Target, VideoCaptureAPIs.V4L2);
        if (!capture.IsOpened())
        {
            return capture;
        }

        // Format before size before rate: drivers validate each against the ones set earlier.
        if (_fourcc is not null)
        {
            capture.Set(VideoCaptureProperties.FourCC, VideoWriter.FourCC(_fourcc[0], _fourcc[1], _fourcc[2], _fourcc[3]));
        }

        if (_width > 0)
        {
            capture.Set(VideoCaptureProperties.FrameWidth, _width);
        }

        if (_height > 0)
        {
            capture.Set(VideoCaptureProperties.FrameHeight, _height);
        }

        if (_fps > 0)
        {
            capture.Set(VideoCaptureProperties.Fps, _fps);
        }

        if (_buffers > 0)
        {
            capture.Set(VideoCaptureProperties.BufferSize, _buffers);
        }

        return capture;
    }
}
