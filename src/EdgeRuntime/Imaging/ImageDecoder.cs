using OpenCvSharp;

namespace EdgeRuntime.Imaging;

/// <summary>
/// Decodes uploaded and imported images with OpenCV, refusing what would otherwise decode into garbage:
/// OpenCV happily returns a half-grey picture for a truncated JPEG, so container integrity is checked first.
/// </summary>
public static class ImageDecoder
{
    /// <summary>Smallest accepted side: below this an image carries too little to embed meaningfully.</summary>
    public const int MinimumSide = 16;

    /// <summary>Largest accepted encoded size, to bound memory on the device.</summary>
    public const long MaximumBytes = 64L * 1024 * 1024;

    /// <summary>Reads and decodes a file. The caller owns the returned BGR/BGRA/grey 8-bit matrix.</summary>
    /// <exception cref="InvalidImageException">The file is unreadable or not a usable image.</exception>
    public static Mat DecodeFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var name = Path.GetFileName(path);
        byte[] bytes;
        try
        {
            var length = new FileInfo(path).Length;
            if (length > MaximumBytes)
            {
                throw new InvalidImageException(name, $"file is {length} bytes; the limit is {MaximumBytes}");
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidImageException(name, $"cannot be read: {ex.Message}", ex);
        }

        return Decode(bytes, name);
    }

    /// <summary>Decodes encoded image bytes. The caller owns the returned matrix.</summary>
    /// <exception cref="InvalidImageException">The bytes are not a complete, supported 8-bit image.</exception>
    public static Mat Decode(ReadOnlySpan<byte> bytes, string name)
    {
        if (bytes.IsEmpty)
        {
            throw new InvalidImageException(name, "file is empty (0 bytes)");
        }

        var format = Sniff(bytes);
        if (format == ImageFormat.Unknown)
        {
            throw new InvalidImageException(name, "not a supported image (expected JPEG, PNG, BMP or WebP)");
        }

        if (!IsComplete(bytes, format))
        {
            throw new InvalidImageException(name, $"{format} data is truncated");
        }

        var mat = Cv2.ImDecode(bytes, ImreadModes.Unchanged);
        try
        {
            if (mat.Empty())
            {
                throw new InvalidImageException(name, $"{format} data is corrupt and could not be decoded");
            }

            if (mat.Depth() != MatType.CV_8U)
            {
                throw new InvalidImageException(name, $"{BitsPerChannel(mat.Depth())}-bit channels are not supported; save it as 8-bit");
            }

            if (mat.Channels() is not (1 or 3 or 4))
            {
                throw new InvalidImageException(name, $"{mat.Channels()}-channel images are not supported");
            }

            if (mat.Width < MinimumSide || mat.Height < MinimumSide)
            {
                throw new InvalidImageException(name, $"image is {mat.Width}x{mat.Height}; both sides must be at least {MinimumSide} pixels");
            }

            return mat;
        }
        catch
        {
            mat.Dispose();
            throw;
        }
    }

    /// <summary>Recognises the container from its signature.</summary>
    public static ImageFormat Sniff(ReadOnlySpan<byte> b)
    {
        if (b.Length >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF)
        {
            return ImageFormat.Jpeg;
        }

        if (b.Length >= 8 && b[..8].SequenceEqual((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return ImageFormat.Png;
        }

        if (b.Length >= 2 && b[0] == (byte)'B' && b[1] == (byte)'M')
        {
            return ImageFormat.Bmp;
        }

        if (b.Length >= 12 && b[..4].SequenceEqual("RIFF"u8) && b.Slice(8, 4).SequenceEqual("WEBP"u8))
        {
            return ImageFormat.Webp;
        }

        return ImageFormat.Unknown;
    }

    private static bool IsComplete(ReadOnlySpan<byte> b, ImageFormat format)
    {
        switch (format)
        {
            case ImageFormat.Jpeg:
                // The end-of-image marker, allowing for trailing padding some cameras append.
                var tail = b[Math.Max(0, b.Length - 1024)..];
                for (int i = tail.Length - 2; i >= 0; i--)
                {
                    if (tail[i] == 0xFF && tail[i + 1] == 0xD9)
                    {
                        return true;
                    }
                }

                return false;
            case ImageFormat.Png:
                return b.Length >= 20 && b[^12..].Slice(4, 4).SequenceEqual("IEND"u8);
            case ImageFormat.Bmp:
                return b.Length >= 6 && BitConverter.ToUInt32(b.Slice(2, 4)) <= (uint)b.Length;
            case ImageFormat.Webp:
                return b.Length >= 8 && BitConverter.ToUInt32(b.Slice(4, 4)) + 8 <= (uint)b.Length;
            default:
                return false;
        }
    }

    private static int BitsPerChannel(int depth) => depth switch
    {
        MatType.CV_16U or MatType.CV_16S => 16,
        MatType.CV_32S or MatType.CV_32F => 32,
        MatType.CV_64F => 64,
        _ => 8,
    };
}
