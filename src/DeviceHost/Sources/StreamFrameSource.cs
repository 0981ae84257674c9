using OpenCvSharp;

namespace DeviceHost.Sources;

/// <summary>An RTSP/RTMP/HTTP stream decoded by FFmpeg, with open and read timeouts so a dead link cannot block forever.</summary>
public sealed class StreamFrameSource : VideoCaptureFrameSource
{
    // cv::CAP_PROP_OPEN_TIMEOUT_MSEC and cv::CAP_PROP_READ_TIMEOUT_MSEC, which OpenCvSharp's enum does not name.
    private const int OpenTimeoutProperty = 53;
    private const int ReadTimeoutProperty = 54;

    private readonly TimeSpan _openTimeout;
    private readonly TimeSpan _readTimeout;

    public StreamFrameSource(FrameSourceUri uri, FrameSourceOptions options)
        : base(uri, (options ?? throw new ArgumentNullException(nameof(options))).CaptureNice)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (uri.Kind != FrameSourceKind.Stream)
        {
            throw new ArgumentException($"Expected a stream address, got {uri.Kind}.", nameof(uri));
        }

        _openTimeout = options.StreamOpenTimeout;
        _readTimeout = options.StreamReadTimeout;
    }

    protected override string OpenFailureHint =>
        $"FFmpeg could not connect within {_openTimeout.TotalSeconds:0.#} s (check the URL, credentials, network and that the camera serves this path)";

    protected override VideoCapture CreateCapture() =>
        new(Uri.Target, VideoCaptureAPIs.FFMPEG, [OpenTimeoutProperty, (int)_openTimeout.TotalMilliseconds, ReadTimeoutProperty, (int)_readTimeout.TotalMilliseconds]);
}
