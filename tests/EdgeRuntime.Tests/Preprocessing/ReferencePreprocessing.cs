using EdgeRuntime.Models;
using EdgeRuntime.Preprocessing;
using OpenCvSharp;

namespace EdgeRuntime.Tests.Preprocessing;

/// <summary>
/// A deliberately plain float64 rendition of the documented preprocessing, written from the description in
/// models/README.md rather than from the engine's code: pick the region, sample bilinearly at half-pixel centres,
/// reorder channels, normalise, lay out.
/// </summary>
internal static class ReferencePreprocessing
{
    public static double[] Run(Mat image, InputSpec spec, ResizeMode mode)
    {
        int sw = image.Width, sh = image.Height, ch = image.Channels(), w = spec.Width, h = spec.Height;
        var result = new double[3 * w * h];
        double regionX, regionY, regionW, regionH, left = 0, top = 0, fitW = w, fitH = h;
        if (mode == ResizeMode.CenterCrop)
        {
            if ((double)sw / sh > (double)w / h)
            {
                regionH = sh;
                regionW = Math.Round((double)sh * w / h);
            }
            else
            {
                regionW = sw;
                regionH = Math.Round((double)sw * h / w);
            }

            regionX = Math.Floor((sw - regionW) / 2);
            regionY = Math.Floor((sh - regionH) / 2);
        }
        else
        {
            double s = Math.Max((double)sw / w, (double)sh / h);
            fitW = Math.Round(sw / s);
            fitH = Math.Round(sh / s);
            left = Math.Floor((w - fitW) / 2);
            top = Math.Floor((h - fitH) / 2);
            (regionX, regionY, regionW, regionH) = (0, 0, sw, sh);
        }

        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                for (int c = 0; c < 3; c++)
                {
                    double raw;
                    if (x < left || x >= left + fitW || y < top || y >= top + fitH)
                    {
                        raw = 0;
                    }
                    else
                    {
                        double sx = Math.Clamp(regionX + ((x - left + 0.5) * regionW / fitW) - 0.5, regionX, regionX + regionW - 1);
                        double sy = Math.Clamp(regionY + ((y - top + 0.5) * regionH / fitH) - 0.5, regionY, regionY + regionH - 1);
                        int sourceChannel = ch == 1 ? 0 : spec.ChannelOrder == ChannelOrder.Rgb ? 2 - c : c;
                        raw = Bilinear(image, sx, sy, sourceChannel, regionX + regionW - 1, regionY + regionH - 1);
                    }

                    double value = ((raw * spec.Scale) - spec.Mean[c]) / spec.Std[c];
                    int index = spec.Layout == TensorLayout.Nchw ? (c * w * h) + (y * w) + x : (((y * w) + x) * 3) + c;
                    result[index] = value;
                }
            }
        }

        return result;
    }

    private static double Bilinear(Mat image, double sx, double sy, int channel, double maxX, double maxY)
    {
        int x0 = (int)Math.Floor(sx), y0 = (int)Math.Floor(sy);
        int x1 = (int)Math.Min(x0 + 1, maxX), y1 = (int)Math.Min(y0 + 1, maxY);
        double fx = sx - x0, fy = sy - y0;
        double p00 = Pixel(image, x0, y0, channel), p10 = Pixel(image, x1, y0, channel);
        double p01 = Pixel(image, x0, y1, channel), p11 = Pixel(image, x1, y1, channel);
        return ((1 - fy) * ((1 - fx) * p00 + fx * p10)) + (fy * ((1 - fx) * p01 + fx * p11));
    }

    private static double Pixel(Mat image, int x, int y, int channel) => image.Channels() switch
    {
        1 => image.At<byte>(y, x),
        3 => image.At<Vec3b>(y, x)[channel],
        _ => image.At<Vec4b>(y, x)[channel],
    };
}
