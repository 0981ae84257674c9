namespace DeviceHost.Sources;

/// <summary>Settings shared by all frame sources, plus the clock and scene control they use.</summary>
public sealed class FrameSourceOptions
{
    /// <summary>Clock for pacing folder, file and synthetic sources and for the synthetic timestamp overlay.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Scene selector shared by every synthetic source built with these options, so it survives reconnects.</summary>
    public SyntheticSceneControl SceneControl { get; set; } = new();

    /// <summary>How long FFmpeg may take to open a network stream before giving up.</summary>
    public TimeSpan StreamOpenTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one FFmpeg read of a network stream may block; bounds how long a stall can hold a read.</summary>
    public TimeSpan StreamReadTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Devices <c>auto</c> tries in order before falling back to the synthetic demo.</summary>
    public IReadOnlyList<string> AutoDeviceCandidates { get; set; } =
        [.. Enumerable.Range(0, 10).Select(i => "/dev/video" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>Synthetic frame width when the address does not say.</summary>
    public int SyntheticWidth { get; set; } = 640;

    /// <summary>Synthetic frame height when the address does not say.</summary>
    public int SyntheticHeight { get; set; } = 480;

    /// <summary>Synthetic frame rate when the address does not say.</summary>
    public double SyntheticFps { get; set; } = 15;

    /// <summary>Seed for synthetic colours and positions, so a scene looks the same run to run.</summary>
    public int SyntheticSeed { get; set; } = 20240601;

    /// <summary>
    /// Shortest frame side the backbone needs (ResNet-18's 224 input). An MJPEG file whose frames are at least twice
    /// that is decoded at half size by libjpeg's DCT scaling: about a third of the decode work, and the backbone's
    /// resize to 224 samples the same pixels more evenly. <c>decode=full</c> in the address turns it off.
    /// </summary>
    public int MinimumDecodedSide { get; set; } = 224;

    /// <summary>The default nice value of capture (<c>Pipeline:CaptureNice</c>): between inference (0) and training (10).</summary>
    public const int DefaultCaptureNice = 5;

    /// <summary>Linux nice value of an OpenCV capture's thread (a <see cref="EdgeRuntime.Interop.DedicatedThread"/>).</summary>
    public int CaptureNice { get; set; } = DefaultCaptureNice;

    /// <summary>Image folder frame rate when the address does not say.</summary>
    public double FolderFps { get; set; } = 5;
}
