namespace DeviceHost.Sources;

/// <summary>
/// How the service opens its camera: a new source for each (re)connection of the <see cref="SupervisedFrameSource"/>,
/// and the name /status shows for it. The host registers one built from <c>Pipeline:Source</c>; a test or benchmark that
/// must stand between the camera and the supervisor decorates <see cref="Open"/> instead of rebuilding the source.
/// </summary>
/// <param name="Open">Creates an unopened source; the supervisor owns and disposes what it returns.</param>
/// <param name="DisplayName">The source as shown to people (credentials removed).</param>
public sealed record FrameSourceOpener(Func<IFrameSource> Open, string DisplayName)
{
    /// <exception cref="FrameSourceException">The address is not one the service can open; the message names it.</exception>
    public static FrameSourceOpener ForUri(string? uri, FrameSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var parsed = FrameSourceUri.Parse(uri);
        return new FrameSourceOpener(() => FrameSourceFactory.Create(parsed, options), parsed.DisplayName);
    }
}
