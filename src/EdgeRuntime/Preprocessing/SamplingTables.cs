namespace EdgeRuntime.Preprocessing;

/// <summary>
/// Precomputed bilinear sampling positions for one source size: built once per frame size, reused every frame.
/// X0/X1 are byte offsets within a row (column x channels); Y0/Y1 are row indices.
/// Output pixels outside [Left, Right) x [Top, Bottom) are letterbox padding.
/// </summary>
internal sealed class SamplingTables
{
    private SamplingTables(int sourceWidth, int sourceHeight, int channels, int width, int height)
    {
        SourceWidth = sourceWidth;
        SourceHeight = sourceHeight;
        Channels = channels;
        X0 = new int[width];
        X1 = new int[width];
        Wx = new float[width];
        Y0 = new int[height];
        Y1 = new int[height];
        Wy = new float[height];
    }

    public int SourceWidth { get; }

    public int SourceHeight { get; }

    public int Channels { get; }

    public int[] X0 { get; }

    public int[] X1 { get; }

    public float[] Wx { get; }

    public int[] Y0 { get; }

    public int[] Y1 { get; }

    public float[] Wy { get; }

    public int Left { get; private set; }

    public int Right { get; private set; }

    public int Top { get; private set; }

    public int Bottom { get; private set; }

    public static SamplingTables Create(int sourceWidth, int sourceHeight, int channels, int width, int height, ResizeMode mode)
    {
        var t = new SamplingTables(sourceWidth, sourceHeight, channels, width, height);
        if (mode == ResizeMode.CenterCrop)
        {
            // The centred region of the source with the target's aspect ratio, scaled to fill the whole target.
            long wide = (long)sourceWidth * height, tall = (long)sourceHeight * width;
            int cropW = wide > tall ? (int)Math.Round((double)sourceHeight * width / height) : sourceWidth;
            int cropH = wide > tall ? sourceHeight : (int)Math.Round((double)sourceWidth * height / width);
            cropW = Math.Clamp(cropW, 1, sourceWidth);
            cropH = Math.Clamp(cropH, 1, sourceHeight);
            Axis(t.X0, t.X1, t.Wx, 0, width, (sourceWidth - cropW) / 2, cropW, channels);
            Axis(t.Y0, t.Y1, t.Wy, 0, height, (sourceHeight - cropH) / 2, cropH, 1);
            (t.Left, t.Right, t.Top, t.Bottom) = (0, width, 0, height);
        }
        else
        {
            // The whole source, scaled so its long side fits, centred on padding.
            double scale = Math.Max((double)sourceWidth / width, (double)sourceHeight / height);
            int fitW = Math.Clamp((int)Math.Round(sourceWidth / scale), 1, width);
            int fitH = Math.Clamp((int)Math.Round(sourceHeight / scale), 1, height);
            int left = (width - fitW) / 2, top = (height - fitH) / 2;
            Axis(t.X0, t.X1, t.Wx, left, fitW, 0, sourceWidth, channels);
            Axis(t.Y0, t.Y1, t.Wy, top, fitH, 0, sourceHeight, 1);
            (t.Left, t.Right, t.Top, t.Bottom) = (left, left + fitW, top, top + fitH);
        }

        return t;
    }

    /// <summary>Maps output positions [offset, offset+count) onto source [start, start+length) with half-pixel centres.</summary>
    private static void Axis(int[] i0, int[] i1, float[] weight, int offset, int count, int start, int length, int stride)
    {
        double step = (double)length / count;
        for (int k = 0; k < count; k++)
        {
            double s = start + ((k + 0.5) * step) - 0.5;
            s = Math.Clamp(s, start, start + length - 1);
            int lo = (int)Math.Floor(s);
            int hi = Math.Min(lo + 1, start + length - 1);
            i0[offset + k] = lo * stride;
            i1[offset + k] = hi * stride;
            weight[offset + k] = (float)(s - lo);
        }
    }
}
