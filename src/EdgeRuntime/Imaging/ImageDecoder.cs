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

    /// <summary>Largest accepted pixel count (40 MP, 160 MB as BGRA), checked from the header before decoding.</summary>
    public const long MaximumPixels = 40_000_000;

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

        var format = CheckHeader(bytes, name, MaximumPixels);
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

    /// <summary>
    /// Recognises a decodable container and reads its size from the header, refusing an image above
    /// <paramref name="maxPixels"/> before a byte of it is decoded.
    /// </summary>
    /// <exception cref="InvalidImageException">Not a supported image, or its header does not state a size.</exception>
    /// <exception cref="ImageTooLargeException">The header declares more than <paramref name="maxPixels"/> pixels.</exception>
    public static ImageFormat CheckHeader(ReadOnlySpan<byte> bytes, string name, long maxPixels)
    {
        if (!ImageFormats.TryDetect(bytes, out var format) || format == ImageFormat.Tiff)
        {
            throw new InvalidImageException(name, "not a supported image (expected JPEG, PNG, BMP or WebP)");
        }

        if (!ImageFormats.TryReadSize(bytes, out int width, out int height))
        {
            throw new InvalidImageException(name, $"{format} header is truncated or does not state the image size");
        }

        if ((long)width * height > maxPixels)
        {
            throw new ImageTooLargeException(name, width, height, maxPixels);
        }

        return format;
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
