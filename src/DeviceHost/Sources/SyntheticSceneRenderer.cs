using OpenCvSharp;

namespace DeviceHost.Sources;

/// <summary>Draws the synthetic scenes. Colours, sizes and paths come from a seeded Random per scene, so runs repeat.</summary>
internal sealed class SyntheticSceneRenderer : IDisposable
{
    private const int BlobCount = 7;
    private readonly int _width;
    private readonly int _height;
    private readonly int _seed;
    private readonly Dictionary<SyntheticScene, Layout> _layouts = [];

    public SyntheticSceneRenderer(int width, int height, int seed)
    {
        _width = width;
        _height = height;
        _seed = seed;
    }

    public void Render(Mat destination, SyntheticScene scene, long frame, string caption)
    {
        destination.Create(_height, _width, MatType.CV_8UC3);
        var layout = LayoutOf(scene);
        switch (scene)
        {
            case SyntheticScene.Stripes:
                DrawStripes(destination, layout, frame);
                break;
            case SyntheticScene.Blobs:
                DrawBlobs(destination, layout, frame);
                break;
            case SyntheticScene.Checker:
                DrawChecker(destination, layout, frame);
                break;
            case SyntheticScene.Gradient:
                DrawGradient(destination, layout, frame);
                break;
            case SyntheticScene.Covered:
                // A hand or cap over the lens still lets a little light through.
                destination.SetTo(new Scalar(6, 5, 7));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(scene), scene, "Unknown scene.");
        }

        DrawOverlay(destination, frame, caption);
    }

    public void Dispose()
    {
        foreach (var layout in _layouts.Values)
        {
            layout.Gradient?.Dispose();
        }

        _layouts.Clear();
    }

    private void DrawStripes(Mat image, Layout layout, long frame)
    {
        image.SetTo(layout.Dark);
        var period = 2 * layout.Size;
        var offset = (int)(frame * 3 % period);
        for (var x = offset - period; x < _width; x += period)
        {
            Cv2.Rectangle(image, new Rect(x, 0, layout.Size, _height), layout.Bright, -1);
        }
    }

    private void DrawChecker(Mat image, Layout layout, long frame)
    {
        image.SetTo(layout.Dark);
        var size = layout.Size;
        var shift = (int)(frame * 2 % (2 * size));
        for (int row = 0, y = shift - (2 * size); y < _height; row++, y += size)
        {
            for (int col = 0, x = shift - (2 * size); x < _width; col++, x += size)
            {
                if ((row + col) % 2 == 0)
                {
                    Cv2.Rectangle(image, new Rect(x, y, size, size), layout.Bright, -1);
                }
            }
        }
    }

    private void DrawBlobs(Mat image, Layout layout, long frame)
    {
        image.SetTo(layout.Dark);
        foreach (var blob in layout.Blobs)
        {
            var cx = (blob.CenterX + (blob.AmplitudeX * Math.Sin((blob.SpeedX * frame) + blob.Phase))) * _width;
            var cy = (blob.CenterY + (blob.AmplitudeY * Math.Cos((blob.SpeedY * frame) + blob.Phase))) * _height;
            Cv2.Circle(image, new Point(cx, cy), blob.Radius, blob.Color, -1, LineTypes.AntiAlias);
        }
    }

    private void DrawGradient(Mat image, Layout layout, long frame)
    {
        var offset = (int)(frame * 2 % _width);
        using var window = new Mat(layout.Gradient!, new Rect(offset, 0, _width, _height));
        window.CopyTo(image);
    }

    private void DrawOverlay(Mat image, long frame, string caption)
    {
        // A small square sweeping the top edge, so even a still scene visibly moves.
        const int marker = 14;
        var x = (int)(frame * 5 % Math.Max(1, _width - marker));
        Cv2.Rectangle(image, new Rect(x, 4, marker, marker), Scalar.White, -1);

        var barHeight = Math.Max(14, _height / 20);
        Cv2.Rectangle(image, new Rect(0, _height - barHeight, _width, barHeight), Scalar.Black, -1);
        Cv2.PutText(image, caption, new Point(6, _height - (barHeight / 4)), HersheyFonts.HersheySimplex, barHeight / 48.0, Scalar.White, 1, LineTypes.AntiAlias);
    }

    private Layout LayoutOf(SyntheticScene scene)
    {
        if (!_layouts.TryGetValue(scene, out var layout))
        {
            layout = CreateLayout(scene, new Random(unchecked((_seed * 397) ^ ((int)scene + 1))));
            _layouts[scene] = layout;
        }

        return layout;
    }

    private Layout CreateLayout(SyntheticScene scene, Random random)
    {
        Scalar Colour(int min, int max) => new(random.Next(min, max), random.Next(min, max), random.Next(min, max));

        var dark = Colour(0, 90);
        var bright = Colour(150, 256);
        var size = Math.Max(8, Math.Min(_width, _height) / random.Next(8, 14));
        var blobs = scene == SyntheticScene.Blobs
            ? Enumerable.Range(0, BlobCount).Select(_ => new Blob(
                Colour(90, 256),
                Math.Max(4, Math.Min(_width, _height) / random.Next(6, 12)),
                0.2 + (random.NextDouble() * 0.6),
                0.2 + (random.NextDouble() * 0.6),
                0.05 + (random.NextDouble() * 0.15),
                0.05 + (random.NextDouble() * 0.15),
                0.02 + (random.NextDouble() * 0.06),
                0.02 + (random.NextDouble() * 0.06),
                random.NextDouble() * Math.PI * 2)).ToArray()
            : [];
        var start = Colour(0, 256);
        // The far end is the complement, so the gradient always spans a wide range however the dice fall.
        var gradient = scene == SyntheticScene.Gradient ? CreateGradient(start, new Scalar(255 - start.Val0, 255 - start.Val1, 255 - start.Val2)) : null;
        return new Layout(dark, bright, size, blobs, gradient);
    }

    // Twice the frame width with one full colour cycle per width, so a panning window wraps seamlessly.
    private Mat CreateGradient(Scalar from, Scalar to)
    {
        using var row = new Mat(1, 2 * _width, MatType.CV_8UC3);
        var pixels = row.AsSpan<Vec3b>();
        for (var x = 0; x < 2 * _width; x++)
        {
            var t = 0.5 - (0.5 * Math.Cos(2 * Math.PI * x / _width));
            pixels[x] = new Vec3b(Mix(from.Val0, to.Val0, t), Mix(from.Val1, to.Val1, t), Mix(from.Val2, to.Val2, t));
        }

        var gradient = new Mat();
        Cv2.Resize(row, gradient, new Size(2 * _width, _height), 0, 0, InterpolationFlags.Nearest);
        return gradient;
    }

    private static byte Mix(double a, double b, double t) => (byte)Math.Clamp(Math.Round(a + ((b - a) * t)), 0, 255);

    private sealed record Layout(Scalar Dark, Scalar Bright, int Size, Blob[] Blobs, Mat? Gradient);

    private readonly record struct Blob(
        Scalar Color, int Radius, double CenterX, double CenterY, double AmplitudeX, double AmplitudeY, double SpeedX, double SpeedY, double Phase);
}
