using OpenCvSharp;

namespace EdgeRuntime.TestSupport.Images;

/// <summary>
/// Arrows pointing left or right at random positions, sizes, thickness and colours: a task whose label a mirror
/// flips, for testing that augmentation respects the domain. Deterministic for a seeded <see cref="Random"/>.
/// The caller owns returned matrices.
/// </summary>
public static class ArrowImages
{
    public static Mat Create(bool pointsRight, Random rng, int width = 224, int height = 224)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var background = new Scalar(rng.Next(0, 90), rng.Next(0, 90), rng.Next(0, 90));
        var colour = new Scalar(rng.Next(170, 256), rng.Next(170, 256), rng.Next(170, 256));
        var mat = new Mat(height, width, MatType.CV_8UC3, background);
        int length = rng.Next(width / 2, (width * 3) / 4), thickness = rng.Next(8, 16);
        int y = rng.Next(height / 3, (2 * height) / 3), x0 = rng.Next(8, width - length - 8);
        var (tail, tip) = pointsRight ? (new Point(x0, y), new Point(x0 + length, y)) : (new Point(x0 + length, y), new Point(x0, y));
        Cv2.ArrowedLine(mat, tail, tip, colour, thickness, LineTypes.AntiAlias, 0, 0.4);
        return mat;
    }
}
