using OpenCvSharp;

namespace EdgeRuntime.Augmentation;

/// <summary>
/// Deterministic views of a stored image for small training sets: view k always gives the same picture, so its
/// embedding can be cached. Odd views are mirrored; every view is a slightly smaller, shifted crop with brightness and
/// contrast jitter - changes a camera sees from day to day, not changes of class.
/// </summary>
public static class ViewAugmenter
{
    /// <summary>Returns view <paramref name="view"/> (1 or more) of <paramref name="source"/>. The caller owns the result.</summary>
    public static Mat Apply(Mat source, int view)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(view, 1);
        var rng = new Random(unchecked((view * 7919) + 17));
        int width = source.Width, height = source.Height;
        double scale = 0.8 + (rng.NextDouble() * 0.15);
        int cropW = Math.Max(1, (int)(width * scale)), cropH = Math.Max(1, (int)(height * scale));
        var roi = new Rect(rng.Next(width - cropW + 1), rng.Next(height - cropH + 1), cropW, cropH);
        using var cropped = new Mat(source, roi);
        var result = new Mat();
        double contrast = 0.8 + (rng.NextDouble() * 0.4), brightness = -25 + (rng.NextDouble() * 50);
        cropped.ConvertTo(result, -1, contrast, brightness);
        if (view % 2 == 1)
        {
            Cv2.Flip(result, result, FlipMode.Y);
        }

        return result;
    }
}
