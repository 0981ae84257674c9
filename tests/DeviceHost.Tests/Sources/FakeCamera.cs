using System.Runtime.Versioning;
using DeviceHost.Sources;

namespace DeviceHost.Tests.Sources;

/// <summary>How reads of a <see cref="FakeCamera"/> behave.</summary>
internal enum FakeReadMode
{
    /// <summary>Each read returns a frame at once.</summary>
    Frames,

    /// <summary>Each read returns "no frame" at once.</summary>
    NoFrame,

    /// <summary>Each read throws.</summary>
    Throws,

    /// <summary>Each read blocks until cancelled, like a network camera that went silent.</summary>
    Hangs,
}

/// <summary>
/// The world behind hand-written fake frame sources: whether the device can be opened and how reads behave.
/// A supervisor makes a new <see cref="FakeFrameSource"/> per connect; all of them consult this one camera.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class FakeCamera
{
    private int _opens;
    private int _openAttempts;
    private int _liveSources;

    public bool Available { get; set; } = true;

    public bool PermanentlyBroken { get; set; }

    public FakeReadMode Mode { get; set; } = FakeReadMode.Frames;

    public double? Fps { get; set; } = 10;

    public int Opens => Volatile.Read(ref _opens);

    public int OpenAttempts => Volatile.Read(ref _openAttempts);

    public int LiveSources => Volatile.Read(ref _liveSources);

    public byte NextValue { get; set; } = 1;

    public IFrameSource CreateSource() => new FakeFrameSource(this);

    internal void OnOpen()
    {
        Interlocked.Increment(ref _openAttempts);
        if (PermanentlyBroken)
        {
            throw new FrameSourceException("fake camera: backend missing", isPermanent: true);
        }

        if (!Available)
        {
            throw new FrameSourceException("fake camera: unplugged", isPermanent: false);
        }

        Interlocked.Increment(ref _opens);
        Interlocked.Increment(ref _liveSources);
    }

    internal void OnClose() => Interlocked.Decrement(ref _liveSources);
}
