using OpenCvSharp;

namespace DeviceHost.Sources;

/// <summary>A GStreamer pipeline ending in appsink (e.g. nvarguscamerasrc on Jetson). Needs OpenCV built with GStreamer.</summary>
public sealed class GStreamerFrameSource : VideoCaptureFrameSource
{
    /// <summary>Throws a permanent <see cref="FrameSourceException"/> when the loaded OpenCV lacks GStreamer.</summary>
    public GStreamerFrameSource(FrameSourceUri uri, FrameSourceOptions? options = null)
        : this(uri, OpenCvCapabilities.HasGStreamer, options?.CaptureNice ?? FrameSourceOptions.DefaultCaptureNice)
    {
    }

    internal GStreamerFrameSource(FrameSourceUri uri, bool openCvHasGStreamer, int captureNice = FrameSourceOptions.DefaultCaptureNice)
        : base(uri, captureNice)
    {
        if (uri.Kind != FrameSourceKind.GStreamer)
        {
            throw new ArgumentException($"Expected a GStreamer address, got {uri.Kind}.", nameof(uri));
        }

        if (!openCvHasGStreamer)
        {
            throw new FrameSourceException(
                $"Frame source '{uri.DisplayName}' is a GStreamer pipeline, but the loaded OpenCV was built without GStreamer " +
                "(Cv2.GetBuildInformation() does not report 'GStreamer: YES'; the official OpenCvSharp4 linux-x64 runtime has only " +
                "FFmpeg and V4L2). Use a native OpenCV + OpenCvSharpExtern build with -DWITH_GSTREAMER=ON, as on Jetson " +
                "(see deploy/jetson), or choose a v4l2, rtsp, file, folder or synthetic source.",
                isPermanent: true);
        }
    }

    protected override string OpenFailureHint => "GStreamer could not start the pipeline (check elements and caps with gst-launch-1.0)";

    protected override VideoCapture CreateCapture() => new(Uri.Target, VideoCaptureAPIs.GSTREAMER);
}
