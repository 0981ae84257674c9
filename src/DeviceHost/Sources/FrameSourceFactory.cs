namespace DeviceHost.Sources;

/// <summary>Builds the <see cref="IFrameSource"/> an address names. Sources are created closed; call Open (or supervise them).</summary>
public static class FrameSourceFactory
{
    /// <summary>Parses <paramref name="uri"/> and builds its source; bad addresses and missing backends throw a permanent <see cref="FrameSourceException"/>.</summary>
    public static IFrameSource Create(string? uri, FrameSourceOptions? options = null) => Create(FrameSourceUri.Parse(uri), options);

    /// <summary>Builds the source for an already parsed address.</summary>
    public static IFrameSource Create(FrameSourceUri uri, FrameSourceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(uri);
        options ??= new FrameSourceOptions();
        return uri.Kind switch
        {
            FrameSourceKind.Auto => new AutoFrameSource(options),
            FrameSourceKind.V4l2 => new V4l2FrameSource(uri, options),
            FrameSourceKind.GStreamer => new GStreamerFrameSource(uri, options),
            FrameSourceKind.Stream => new StreamFrameSource(uri, options),
            FrameSourceKind.File => new VideoFileFrameSource(uri, options),
            FrameSourceKind.Folder => new ImageFolderFrameSource(uri, options),
            FrameSourceKind.Synthetic => new SyntheticFrameSource(uri, options),
            _ => throw new ArgumentOutOfRangeException(nameof(uri), uri.Kind, "Unknown frame source kind."),
        };
    }
}
