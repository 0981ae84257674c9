using OpenCvSharp;

namespace EdgeRuntime.TestSupport.Video;

/// <summary>Writes small real video files and image folders whose frames tests can recognise again.</summary>
public static class SyntheticVideo
{
    /// <summary>The solid colour of frame <paramref name="index"/>: distinct per index and far apart, so lossy codecs keep them apart.</summary>
    public static Scalar ColourOf(int index) => new((index * 70) % 256, (index * 130 + 40) % 256, (index * 200 + 90) % 256);

    /// <summary>Writes an MJPG .avi (decodable by the FFmpeg in OpenCvSharp's runtime) of solid-colour frames (see <see cref="ColourOf"/>).</summary>
    public static void WriteMjpegAvi(string path, int frameCount, int width = 96, int height = 64, double fps = 10)
    {
        using var writer = new VideoWriter(path, FourCC.MJPG, fps, new Size(width, height));
        if (!writer.IsOpened())
        {
            throw new InvalidOperationException($"OpenCV could not open a MJPG writer for {path}.");
        }

        using var frame = new Mat();
        for (var i = 0; i < frameCount; i++)
        {
            Draw(frame, i, width, height);
            writer.Write(frame);
        }

        writer.Release();
    }

    /// <summary>Writes <paramref name="count"/> PNGs named frame_000.png... into <paramref name="folder"/>; returns their paths in name order.</summary>
    public static IReadOnlyList<string> WritePngFolder(string folder, int count, int width = 48, int height = 32)
    {
        Directory.CreateDirectory(folder);
        var paths = new List<string>();
        using var frame = new Mat();
        for (var i = 0; i < count; i++)
        {
            Draw(frame, i, width, height);
            var path = Path.Combine(folder, $"frame_{i:000}.png");
            Cv2.ImWrite(path, frame);
            paths.Add(path);
        }

        return paths;
    }

    /// <summary>Which frame index a decoded frame shows, by nearest colour at its centre.</summary>
    public static int IndexOf(Mat frame, int candidates)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var centre = frame.At<Vec3b>(frame.Rows / 2, frame.Cols / 2);
        var best = -1;
        var bestDistance = double.MaxValue;
        for (var i = 0; i < candidates; i++)
        {
            var c = ColourOf(i);
            var distance = Math.Pow(centre.Item0 - c.Val0, 2) + Math.Pow(centre.Item1 - c.Val1, 2) + Math.Pow(centre.Item2 - c.Val2, 2);
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = i;
            }
        }

        return best;
    }

    private static void Draw(Mat frame, int index, int width, int height)
    {
        frame.Create(height, width, MatType.CV_8UC3);
        frame.SetTo(ColourOf(index));
    }
}
