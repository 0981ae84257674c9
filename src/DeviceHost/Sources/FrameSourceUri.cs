using System.Globalization;

namespace DeviceHost.Sources;

/// <summary>
/// A parsed frame source address. Accepted forms: <c>auto</c>, <c>/dev/videoN</c>, <c>N</c>, <c>v4l2:///dev/videoN</c>,
/// <c>gst:&lt;pipeline ! appsink&gt;</c>, <c>rtsp://</c>/<c>rtsps://</c>/<c>rtmp://</c>/<c>http(s)://</c>,
/// <c>file:///path.mp4?loop=true&amp;decode=full</c>, a plain video file path, <c>folder:///dir?fps=5</c>, <c>synthetic:?scene=blobs</c>.
/// </summary>
public sealed class FrameSourceUri
{
    internal const string AcceptedForms =
        "auto, /dev/videoN, N (camera index), v4l2:///dev/videoN, gst:<pipeline ending in appsink>, rtsp://..., " +
        "http(s)://..., file:///path/video.mp4?loop=true, a video file path, folder:///dir?fps=5, synthetic:?scene=stripes";

    private static readonly string[] VideoExtensions =
        [".mp4", ".avi", ".mkv", ".mov", ".webm", ".m4v", ".mpg", ".mpeg", ".ts", ".mjpeg", ".mjpg", ".h264", ".h265", ".wmv", ".flv"];

    private static readonly string[] StreamSchemes = ["rtsp", "rtsps", "rtmp", "rtmps", "http", "https", "udp", "tcp", "srt"];

    private FrameSourceUri(FrameSourceKind kind, string original, string target, UriQuery parameters)
    {
        Kind = kind;
        Original = original;
        Target = target;
        Parameters = parameters;
        DisplayName = SourceRedactor.Redact(original);
    }

    /// <summary>The source family.</summary>
    public FrameSourceKind Kind { get; }

    /// <summary>The text as given, credentials included: never log it, use <see cref="DisplayName"/>.</summary>
    public string Original { get; }

    /// <summary>Device path or index, pipeline, stream URL, file or folder path; empty for auto and synthetic.</summary>
    public string Target { get; }

    /// <summary>Camera index when the address was a bare number (or v4l2:N).</summary>
    public int? DeviceIndex => Kind == FrameSourceKind.V4l2 && int.TryParse(Target, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : null;

    /// <summary>Options given after '?' (not for streams and pipelines, whose query belongs to them).</summary>
    public UriQuery Parameters { get; }

    /// <summary>The address with credentials redacted.</summary>
    public string DisplayName { get; }

    /// <inheritdoc/>
    public override string ToString() => DisplayName;

    /// <summary>Parses a source address; throws <see cref="FrameSourceException"/> (permanent) naming the address and the problem.</summary>
    public static FrameSourceUri Parse(string? uri)
    {
        var text = uri?.Trim() ?? string.Empty;
        if (text.Length == 0 || text.Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            return new FrameSourceUri(FrameSourceKind.Auto, "auto", string.Empty, UriQuery.Empty);
        }

        if (text.All(char.IsAsciiDigit))
        {
            return V4l2(text, text, UriQuery.Empty);
        }

        if (text.StartsWith("/dev/", StringComparison.Ordinal))
        {
            return V4l2(text, text, UriQuery.Empty);
        }

        var scheme = SchemeOf(text);
        if (scheme is null)
        {
            return PlainPath(text);
        }

        var rest = text[(scheme.Length + 1)..];
        switch (scheme)
        {
            case "gst":
            case "gstreamer":
                return GStreamer(text, rest.Trim());
            case "v4l2":
            {
                var (path, query) = SplitQuery(text, rest, ["width", "height", "fps", "fourcc", "buffers"]);
                path = StripAuthority(path);
                if (path.Length == 0 || !(path.All(char.IsAsciiDigit) || path.StartsWith("/dev/", StringComparison.Ordinal)))
                {
                    throw Invalid(text, "a v4l2 address needs a device path (v4l2:///dev/video0) or index (v4l2:0)");
                }

                return V4l2(text, path, query);
            }

            case "file":
            {
                var (path, query) = SplitQuery(text, rest, ["loop", "realtime", "decode"]);
                path = Uri.UnescapeDataString(StripAuthority(path));
                if (path.Length == 0)
                {
                    throw Invalid(text, "a file address needs a path (file:///videos/demo.mp4)");
                }

                return new FrameSourceUri(FrameSourceKind.File, text, path, query);
            }

            case "folder":
            case "dir":
            {
                var (path, query) = SplitQuery(text, rest, ["fps", "loop"]);
                path = Uri.UnescapeDataString(StripAuthority(path));
                if (path.Length == 0)
                {
                    throw Invalid(text, "a folder address needs a directory (folder:///data/images?fps=5)");
                }

                return new FrameSourceUri(FrameSourceKind.Folder, text, path, query);
            }

            case "synthetic":
            case "demo":
            {
                var (path, query) = SplitQuery(text, rest, ["scene", "fps", "width", "height", "seed"]);
                if (StripAuthority(path).Length != 0)
                {
                    throw Invalid(text, "a synthetic address takes only options (synthetic:?scene=blobs&fps=15)");
                }

                return new FrameSourceUri(FrameSourceKind.Synthetic, text, string.Empty, query);
            }

            default:
                if (StreamSchemes.Contains(scheme))
                {
                    if (!Uri.TryCreate(text, UriKind.Absolute, out var parsed) || parsed.Host.Length == 0)
                    {
                        throw Invalid(text, "the stream URL has no valid host");
                    }

                    return new FrameSourceUri(FrameSourceKind.Stream, text, text, UriQuery.Empty);
                }

                throw Invalid(text, $"unknown scheme '{scheme}'");
        }
    }

    /// <summary>A V4L2 address for a device path that is a camera by configuration (auto candidates), wherever it lives.</summary>
    internal static FrameSourceUri ForV4l2Device(string devicePath) => V4l2(devicePath, devicePath, UriQuery.Empty);

    internal static FrameSourceException Invalid(string uri, string reason) =>
        new($"Frame source '{SourceRedactor.Redact(uri)}' is not valid: {reason}. Accepted forms: {AcceptedForms}.", isPermanent: true);

    private static FrameSourceUri V4l2(string original, string target, UriQuery query) =>
        new(FrameSourceKind.V4l2, original, target, query);

    private static FrameSourceUri GStreamer(string original, string pipeline)
    {
        if (pipeline.Length == 0)
        {
            throw Invalid(original, "the GStreamer pipeline is empty");
        }

        if (!pipeline.Contains("appsink", StringComparison.Ordinal))
        {
            throw Invalid(original, "OpenCV reads a GStreamer pipeline only through an appsink; end it with '! appsink'");
        }

        return new FrameSourceUri(FrameSourceKind.GStreamer, original, pipeline, UriQuery.Empty);
    }

    private static FrameSourceUri PlainPath(string text)
    {
        var (path, query) = SplitQuery(text, text, ["loop", "realtime", "fps", "decode"]);
        if (Directory.Exists(path))
        {
            return new FrameSourceUri(FrameSourceKind.Folder, text, path, query);
        }

        var extension = Path.GetExtension(path);
        if (VideoExtensions.Contains(extension, StringComparer.OrdinalIgnoreCase))
        {
            return new FrameSourceUri(FrameSourceKind.File, text, path, query);
        }

        throw Invalid(text, "it is neither an existing folder nor a path with a video file extension");
    }

    private static string? SchemeOf(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 2 || !char.IsAsciiLetter(text[0]))
        {
            return null;
        }

        for (var i = 1; i < colon; i++)
        {
            var c = text[i];
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.'))
            {
                return null;
            }
        }

        return text[..colon].ToLowerInvariant();
    }

    private static string StripAuthority(string path) => path.StartsWith("//", StringComparison.Ordinal) ? path[2..] : path;

    private static (string Path, UriQuery Query) SplitQuery(string uri, string rest, string[] allowed)
    {
        var mark = rest.IndexOf('?', StringComparison.Ordinal);
        return mark < 0
            ? (rest, UriQuery.Empty)
            : (rest[..mark], UriQuery.Parse(uri, rest[(mark + 1)..], allowed));
    }
}
