using OpenCvSharp;

namespace DeviceHost.Sources;

/// <summary>Which video I/O backends the loaded native OpenCV was built with.</summary>
public static class OpenCvCapabilities
{
    private static readonly Lazy<string> BuildInformation = new(Cv2.GetBuildInformation);

    /// <summary>True when OpenCV reports "GStreamer: YES" (native Jetson builds), false for the official OpenCvSharp runtime.</summary>
    public static bool HasGStreamer => ReportsBackend(BuildInformation.Value, "GStreamer");

    /// <summary>True when OpenCV reports FFmpeg support (needed for files and network streams).</summary>
    public static bool HasFfmpeg => ReportsBackend(BuildInformation.Value, "FFMPEG");

    /// <summary>Reads a "Name: YES ..." line of <see cref="Cv2.GetBuildInformation"/> output.</summary>
    internal static bool ReportsBackend(string buildInformation, string backend)
    {
        foreach (var raw in buildInformation.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith(backend + ":", StringComparison.OrdinalIgnoreCase))
            {
                return line[(backend.Length + 1)..].TrimStart().StartsWith("YES", StringComparison.OrdinalIgnoreCase);
            }
        }

        return false;
    }
}
