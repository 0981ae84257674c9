using EdgeRuntime.Preprocessing;

namespace EdgeRuntime.Drift;

/// <summary>
/// Measures brightness, contrast, blur and change of successive frames on a fixed grid of
/// <see cref="GridColumns"/>×<see cref="GridRows"/> pixels: a few thousand reads per frame instead of a full pass,
/// which keeps image health far below 1 % of the backbone's time. The Laplacian at a sampled pixel uses its
/// full-resolution neighbours, so blur is judged at the camera's resolution, not on a downscaled copy.
/// Not thread-safe: one instance per frame loop (it keeps the previous frame's samples).
/// </summary>
public sealed class ImageHealth
{
    public const int GridColumns = 64;
    public const int GridRows = 48;

    private readonly byte[] _previous = new byte[GridColumns * GridRows];
    private readonly byte[] _current = new byte[GridColumns * GridRows];
    private bool _hasPrevious;

    public unsafe FrameHealth Measure(in ImageView image)
    {
        int width = image.Width, height = image.Height, channels = image.Channels, stride = image.Stride;
        var data = (byte*)image.Data;
        double sum = 0, sumSquares = 0, lapSum = 0, lapSquares = 0, change = 0;
        int index = 0, laplacians = 0;
        for (int gy = 0; gy < GridRows; gy++)
        {
            int y = Math.Clamp((int)(((gy + 0.5) * height) / GridRows), 0, height - 1);
            for (int gx = 0; gx < GridColumns; gx++, index++)
            {
                int x = Math.Clamp((int)(((gx + 0.5) * width) / GridColumns), 0, width - 1);
                int grey = Grey(data, stride, channels, x, y);
                _current[index] = (byte)grey;
                sum += grey;
                sumSquares += grey * grey;
                if (_hasPrevious)
                {
                    change += Math.Abs(grey - _previous[index]);
                }

                if (x > 0 && y > 0 && x < width - 1 && y < height - 1)
                {
                    int lap = (4 * grey) - Grey(data, stride, channels, x - 1, y) - Grey(data, stride, channels, x + 1, y)
                        - Grey(data, stride, channels, x, y - 1) - Grey(data, stride, channels, x, y + 1);
                    lapSum += lap;
                    lapSquares += (double)lap * lap;
                    laplacians++;
                }
            }
        }

        int n = _current.Length;
        double mean = sum / n;
        double lapMean = laplacians == 0 ? 0 : lapSum / laplacians;
        var health = new FrameHealth(
            (float)mean,
            (float)Math.Sqrt(Math.Max(0, (sumSquares / n) - (mean * mean))),
            laplacians == 0 ? 0f : (float)Math.Max(0, (lapSquares / laplacians) - (lapMean * lapMean)),
            _hasPrevious ? (float)(change / n) : float.NaN);
        _current.CopyTo(_previous, 0);
        _hasPrevious = true;
        return health;
    }

    /// <summary>Forgets the previous frame (after a source restart the next frame is not a continuation).</summary>
    public void Reset() => _hasPrevious = false;

    private static unsafe int Grey(byte* data, int stride, int channels, int x, int y)
    {
        byte* p = data + ((long)y * stride) + ((long)x * channels);

        // ITU-R BT.601 luma in integer arithmetic; OpenCV's BGR order.
        return channels == 1 ? p[0] : ((29 * p[0]) + (150 * p[1]) + (77 * p[2])) >> 8;
    }
}
