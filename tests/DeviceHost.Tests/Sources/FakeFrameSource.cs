using System.Runtime.Versioning;
using DeviceHost.Sources;
using OpenCvSharp;

namespace DeviceHost.Tests.Sources;

/// <summary>A hand-written frame source driven by a <see cref="FakeCamera"/>; frames are tiny solid images of a counter value.</summary>
[SupportedOSPlatform("linux")]
internal sealed class FakeFrameSource(FakeCamera camera) : IFrameSource
{
    private bool _open;
    private bool _disposed;

    public FrameSourceKind Kind => FrameSourceKind.Stream;

    public string DisplayName => "rtsp://fake:***@camera/1";

    public double? NominalFps => camera.Fps;

    public bool IsOpen => _open;

    public void Open()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        camera.OnOpen();
        _open = true;
    }

    public async ValueTask<bool> ReadAsync(Mat destination, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_open)
        {
            throw new InvalidOperationException("read before open");
        }

        switch (camera.Mode)
        {
            case FakeReadMode.Frames:
                destination.Create(4, 4, MatType.CV_8UC3);
                destination.SetTo(Scalar.All(camera.NextValue++));
                return true;
            case FakeReadMode.NoFrame:
                return false;
            case FakeReadMode.Throws:
                throw new InvalidOperationException("fake camera: read error");
            default:
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
                return false;
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_open)
        {
            camera.OnClose();
        }
    }
}
