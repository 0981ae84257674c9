using OpenCvSharp;

namespace EdgeRuntime.TestSupport.Images;

/// <summary>
/// Generates pictures of one <see cref="ImageFamily"/> with random colours, positions, sizes and orientations, so a
/// classifier must learn the structure, not a colour. Deterministic for a given <see cref="Random"/> seed.
/// The caller owns returned matrices.
/// </summary>
public static class SyntheticImages
{
    public static Mat Create(ImageFamily family, Random rng, int width = 320, int height = 240)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var mat = new Mat(height, width, MatType.CV_8UC3, RandomColour(rng));
        switch (family)
        {
            case ImageFamily.Stripes:
                DrawStripes(mat, rng);
                break;
            case ImageFamily.Blobs:
                DrawBlobs(mat, rng);
                break;
            case ImageFamily.Checker:
                DrawChecker(mat, rng);
                break;
            case ImageFamily.Rings:
                DrawRings(mat, rng);
                break;
            case ImageFamily.Triangles:
                DrawTriangles(mat, rng);
                break;
            case ImageFamily.Dots:
                DrawDots(mat, rng);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(family));
        }

        return mat;
    }

    /// <summary>Writes <paramref name="count"/> PNG/JPEG files of each family into folder/&lt;family&gt;/ (ImageFolder layout).</summary>
    public static void WriteImageFolder(string folder, IEnumerable<ImageFamily> families, int count, int seed)
    {
        var rng = new Random(seed);
        foreach (var family in families)
        {
            var dir = Path.Combine(folder, family.ToString().ToLowerInvariant());
            Directory.CreateDirectory(dir);
            for (int i = 0; i < count; i++)
            {
                using var mat = Create(family, rng, rng.Next(200, 400), rng.Next(160, 320));
                var ext = i % 2 == 0 ? ".png" : ".jpg";
                Cv2.ImWrite(Path.Combine(dir, $"{family.ToString().ToLowerInvariant()}-{i:D3}{ext}"), mat);
            }
        }
    }

    public static byte[] Encode(Mat mat, string extension = ".png")
    {
        ArgumentNullException.ThrowIfNull(mat);
        Cv2.ImEncode(extension, mat, out var bytes);
        return bytes;
    }

    private static Scalar RandomColour(Random rng) => new(rng.Next(256), rng.Next(256), rng.Next(256));

    private static Scalar Contrasting(Random rng, Scalar background)
    {
        // Keep shapes visible: at least 120 levels away from the background in some channel.
        while (true)
        {
            var c = RandomColour(rng);
            if (Math.Abs(c.Val0 - background.Val0) + Math.Abs(c.Val1 - background.Val1) + Math.Abs(c.Val2 - background.Val2) > 200)
            {
                return c;
            }
        }
    }

    private static Scalar Background(Mat mat)
    {
        var v = mat.At<Vec3b>(0, 0);
        return new Scalar(v.Item0, v.Item1, v.Item2);
    }

    private static void DrawStripes(Mat mat, Random rng)
    {
        var colour = Contrasting(rng, Background(mat));
        int period = rng.Next(14, 32);
        double angle = rng.NextDouble() * Math.PI;
        double dx = Math.Cos(angle), dy = Math.Sin(angle);
        int reach = mat.Width + mat.Height;
        for (int k = -reach; k < reach; k += period)
        {
            var centre = new Point2d((mat.Width / 2.0) + (k * -dy), (mat.Height / 2.0) + (k * dx));
            var a = new Point((int)(centre.X - (dx * reach)), (int)(centre.Y - (dy * reach)));
            var b = new Point((int)(centre.X + (dx * reach)), (int)(centre.Y + (dy * reach)));
            Cv2.Line(mat, a, b, colour, period / 2, LineTypes.AntiAlias);
        }
    }

    private static void DrawBlobs(Mat mat, Random rng)
    {
        var background = Background(mat);
        int blobs = rng.Next(3, 7);
        for (int i = 0; i < blobs; i++)
        {
            var centre = new Point(rng.Next(mat.Width), rng.Next(mat.Height));
            int radius = rng.Next(Math.Min(mat.Width, mat.Height) / 10, Math.Min(mat.Width, mat.Height) / 4);
            Cv2.Circle(mat, centre, radius, Contrasting(rng, background), -1, LineTypes.AntiAlias);
        }

        Cv2.GaussianBlur(mat, mat, new Size(0, 0), rng.Next(4, 9));
    }

    private static void DrawChecker(Mat mat, Random rng)
    {
        var colour = Contrasting(rng, Background(mat));
        int cell = rng.Next(16, 40);
        int ox = rng.Next(cell), oy = rng.Next(cell), width = mat.Width, height = mat.Height;
        for (int y = -oy, row = 0; y < height; y += cell, row++)
        {
            for (int x = -ox + ((row % 2) * cell); x < width; x += 2 * cell)
            {
                Cv2.Rectangle(mat, new Rect(x, y, cell, cell), colour, -1);
            }
        }
    }

    private static void DrawRings(Mat mat, Random rng)
    {
        var colour = Contrasting(rng, Background(mat));
        var centre = new Point(rng.Next(mat.Width / 4, 3 * mat.Width / 4), rng.Next(mat.Height / 4, 3 * mat.Height / 4));
        int spacing = rng.Next(12, 24), reach = mat.Width + mat.Height;
        for (int r = spacing; r < reach; r += spacing)
        {
            Cv2.Circle(mat, centre, r, colour, spacing / 3, LineTypes.AntiAlias);
        }
    }

    private static void DrawTriangles(Mat mat, Random rng)
    {
        var background = Background(mat);
        int count = rng.Next(3, 8), size = Math.Min(mat.Width, mat.Height);
        for (int i = 0; i < count; i++)
        {
            var centre = new Point(rng.Next(mat.Width), rng.Next(mat.Height));
            int r = rng.Next(size / 8, size / 3);
            double a = rng.NextDouble() * Math.PI * 2;
            var points = Enumerable.Range(0, 3).Select(k => new Point(
                centre.X + (int)(r * Math.Cos(a + (k * 2 * Math.PI / 3))), centre.Y + (int)(r * Math.Sin(a + (k * 2 * Math.PI / 3))))).ToArray();
            Cv2.FillPoly(mat, [points], Contrasting(rng, background), LineTypes.AntiAlias);
        }
    }

    private static void DrawDots(Mat mat, Random rng)
    {
        var colour = Contrasting(rng, Background(mat));
        int spacing = rng.Next(14, 30), radius = Math.Max(2, spacing / rng.Next(3, 6));
        int ox = rng.Next(spacing), oy = rng.Next(spacing), width = mat.Width, height = mat.Height;
        for (int y = oy; y < height; y += spacing)
        {
            for (int x = ox; x < width; x += spacing)
            {
                Cv2.Circle(mat, new Point(x, y), radius, colour, -1, LineTypes.AntiAlias);
            }
        }
    }
}
