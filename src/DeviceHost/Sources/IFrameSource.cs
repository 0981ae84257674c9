using OpenCvSharp;

namespace DeviceHost.Sources;

/// <summary>
/// A camera-like producer of BGR 8UC3 frames. One consumer calls <see cref="ReadAsync"/> in a loop, reusing one
/// destination <see cref="Mat"/>; the source (re)allocates it only when the frame size changes.
/// </summary>
public interface IFrameSource : IDisposable
{
    /// <summary>What kind of source this is (for <see cref="FrameSourceKind.Auto"/>, the kind it resolved to once open).</summary>
    FrameSourceKind Kind { get; }

    /// <summary>Name for logs and status, with any credentials redacted.</summary>
    string DisplayName { get; }

    /// <summary>Frames per second the source aims for, when known (capture sources know it only once open).</summary>
    double? NominalFps { get; }

    /// <summary>True between a successful <see cref="Open"/> and <see cref="IDisposable.Dispose"/>.</summary>
    bool IsOpen { get; }

    /// <summary>Connects to the device, stream or file. May block (network opens); throws <see cref="FrameSourceException"/>.</summary>
    void Open();

    /// <summary>
    /// Reads the next frame into <paramref name="destination"/> as BGR 8UC3. False means no frame this time
    /// (end of stream, device hiccup); the caller decides whether to retry or reconnect. Paced sources wait for
    /// their next frame time. Returns only once any native read has finished, so disposing afterwards is safe.
    /// </summary>
    ValueTask<bool> ReadAsync(Mat destination, CancellationToken cancellationToken = default);
}
