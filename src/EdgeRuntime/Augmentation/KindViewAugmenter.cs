using OpenCvSharp;

namespace EdgeRuntime.Augmentation;

/// <summary>
/// One deterministic view per <see cref="ViewKinds"/> kind, each changing one thing only, so cross-validation can
/// tell which kinds preserve the domain's labels: Mirror flips left-right, Crop keeps a shifted 85 % window, Colour
/// raises contrast and lowers brightness. The same image and kind always give the same picture, so embeddings cache.
/// </summary>
public static class KindViewAugmenter
{
    /// <summary>The view of <paramref name="kind"/> (exactly one kind). The caller owns the result.</summary>
    public static Mat Apply(Mat source, ViewKinds kind)
    {
        ArgumentNullException.ThrowIfNull(source);
        var result = new Mat();
        switch (kind)
        {
            case ViewKinds.Mirror:
                Cv2.Flip(source, result, FlipMode.Y);
                break;
            case ViewKinds.Crop:
                int w = Math.Max(1, (int)(source.Width * 0.85)), h = Math.Max(1, (int)(source.Height * 0.85));
                using (var window = new Mat(source, new Rect(source.Width - w, (source.Height - h) / 2, w, h)))
                {
                    window.CopyTo(result);
                }

                break;
            case ViewKinds.Colour:
                source.ConvertTo(result, -1, 1.2, -20);
                break;
            default:
                result.Dispose();
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "exactly one of Mirror, Crop, Colour");
        }

        return result;
    }

    /// <summary>
    /// The stored view number of a kind's view (embeddings are keyed by image, backbone and view; 0 is the original,
    /// 1..16 the mixed views of <see cref="ViewAugmenter"/>).
    /// </summary>
    public static int ViewId(ViewKinds kind) => kind switch
    {
        ViewKinds.Mirror => 101,
        ViewKinds.Crop => 102,
        ViewKinds.Colour => 103,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "exactly one of Mirror, Crop, Colour"),
    };

    /// <summary>The single kinds, in the order cross-validation tries them.</summary>
    public static IReadOnlyList<ViewKinds> Kinds { get; } = [ViewKinds.Mirror, ViewKinds.Crop, ViewKinds.Colour];
}
