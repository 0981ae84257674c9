namespace DeviceHost.Sources;

/// <summary>The families of frame source <see cref="FrameSourceFactory"/> can build.</summary>
public enum FrameSourceKind
{
    /// <summary>First V4L2 camera that opens, else the synthetic demo.</summary>
    Auto,

    /// <summary>Video4Linux2 device (USB/CSI camera exposed as /dev/videoN).</summary>
    V4l2,

    /// <summary>GStreamer pipeline ending in appsink (needs OpenCV built with GStreamer, as on Jetson).</summary>
    GStreamer,

    /// <summary>Network stream (RTSP, RTMP, HTTP MJPEG/HLS) decoded by FFmpeg.</summary>
    Stream,

    /// <summary>Video file, optionally looping.</summary>
    File,

    /// <summary>Folder of still images cycled in name order.</summary>
    Folder,

    /// <summary>Generated frames with switchable scenes; the built-in demo source.</summary>
    Synthetic,
}
