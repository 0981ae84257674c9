using OpenCvSharp;

namespace DeviceHost.Pipeline;

/// <summary>A frame on its way from capture to inference. The frame Mat belongs to the <see cref="FramePool"/>.</summary>
public readonly record struct CapturedFrame(Mat Frame, DateTimeOffset CapturedAt, long Timestamp);
