using System.Buffers.Binary;

namespace EdgeRuntime.Imaging;

/// <summary>
/// The one image-format sniffer: recognises containers from magic bytes, reads their pixel size from the header
/// (so a decompression bomb is refused before anything is decoded) and maps formats to extensions and MIME types.
/// </summary>
public static class ImageFormats
{
    /// <summary>Recognizes the format from the leading bytes; false for anything else.</summary>
    public static bool TryDetect(ReadOnlySpan<byte> image, out ImageFormat format)
    {
        if (image.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            format = ImageFormat.Jpeg;
        }
        else if (image.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            format = ImageFormat.Png;
        }
        else if (image.Length >= 14 && image.StartsWith("BM"u8))
        {
            format = ImageFormat.Bmp;
        }
        else if (image.Length >= 12 && image.StartsWith("RIFF"u8) && image.Slice(8, 4).SequenceEqual("WEBP"u8))
        {
            format = ImageFormat.Webp;
        }
        else if (image.StartsWith((ReadOnlySpan<byte>)[(byte)'I', (byte)'I', 0x2A, 0x00])
            || image.StartsWith((ReadOnlySpan<byte>)[(byte)'M', (byte)'M', 0x00, 0x2A]))
        {
            format = ImageFormat.Tiff;
        }
        else
        {
            format = default;
            return false;
        }

        return true;
    }

    /// <summary>
    /// Reads width and height from the container header without decoding: PNG IHDR, the JPEG frame header (SOFn),
    /// the BMP info header, WebP's VP8/VP8L/VP8X headers. False when the header is missing, truncated or says 0.
    /// </summary>
    public static bool TryReadSize(ReadOnlySpan<byte> image, out int width, out int height)
    {
        (width, height) = (0, 0);
        if (!TryDetect(image, out var format))
        {
            return false;
        }

        long w = 0, h = 0;
        switch (format)
        {
            case ImageFormat.Png when image.Length >= 24 && image.Slice(12, 4).SequenceEqual("IHDR"u8):
                (w, h) = (BinaryPrimitives.ReadUInt32BigEndian(image[16..]), BinaryPrimitives.ReadUInt32BigEndian(image[20..]));
                break;
            case ImageFormat.Jpeg:
                (w, h) = JpegSize(image);
                break;
            case ImageFormat.Bmp when image.Length >= 26:
                var headerSize = BinaryPrimitives.ReadUInt32LittleEndian(image[14..]);
                (w, h) = headerSize == 12
                    ? (BinaryPrimitives.ReadUInt16LittleEndian(image[18..]), BinaryPrimitives.ReadUInt16LittleEndian(image[20..]))
                    : (BinaryPrimitives.ReadInt32LittleEndian(image[18..]), Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(image[22..])));
                break;
            case ImageFormat.Webp when image.Length >= 30:
                (w, h) = WebpSize(image);
                break;
        }

        if (w is <= 0 or > int.MaxValue || h is <= 0 or > int.MaxValue)
        {
            return false;
        }

        (width, height) = ((int)w, (int)h);
        return true;
    }

    private static (long Width, long Height) JpegSize(ReadOnlySpan<byte> b)
    {
        int i = 2;
        while (i + 4 <= b.Length)
        {
            if (b[i] != 0xFF)
            {
                return (0, 0);
            }

            byte marker = b[i + 1];
            if (marker == 0xFF)
            {
                // Fill byte before a marker.
                i++;
                continue;
            }

            if (marker is 0x01 or (>= 0xD0 and <= 0xD7))
            {
                i += 2;
                continue;
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(b[(i + 2)..]);
            bool frameHeader = marker is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC);
            if (frameHeader)
            {
                return i + 9 <= b.Length
                    ? (BinaryPrimitives.ReadUInt16BigEndian(b[(i + 7)..]), BinaryPrimitives.ReadUInt16BigEndian(b[(i + 5)..]))
                    : (0, 0);
            }

            if (length < 2 || marker == 0xDA)
            {
                // Scan data before any frame header: not a valid JPEG.
                return (0, 0);
            }

            i += 2 + length;
        }

        return (0, 0);
    }

    private static (long Width, long Height) WebpSize(ReadOnlySpan<byte> b)
    {
        var chunk = b.Slice(12, 4);
        if (chunk.SequenceEqual("VP8X"u8))
        {
            return (1 + ReadUInt24(b[24..]), 1 + ReadUInt24(b[27..]));
        }

        if (chunk.SequenceEqual("VP8L"u8) && b[20] == 0x2F)
        {
            uint bits = BinaryPrimitives.ReadUInt32LittleEndian(b[21..]);
            return (1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF));
        }

        if (chunk.SequenceEqual("VP8 "u8) && b[23] == 0x9D && b[24] == 0x01 && b[25] == 0x2A)
        {
            return (BinaryPrimitives.ReadUInt16LittleEndian(b[26..]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(b[28..]) & 0x3FFF);
        }

        return (0, 0);
    }

    private static long ReadUInt24(ReadOnlySpan<byte> b) => b[0] | (b[1] << 8) | (b[2] << 16);

    /// <summary>The file extension, without the dot.</summary>
    public static string Extension(ImageFormat format) => format switch
    {
        ImageFormat.Jpeg => "jpg",
        ImageFormat.Png => "png",
        ImageFormat.Bmp => "bmp",
        ImageFormat.Webp => "webp",
        ImageFormat.Tiff => "tif",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown image format."),
    };

    /// <summary>The MIME type, for serving images over HTTP.</summary>
    public static string ContentType(ImageFormat format) => format switch
    {
        ImageFormat.Jpeg => "image/jpeg",
        ImageFormat.Png => "image/png",
        ImageFormat.Bmp => "image/bmp",
        ImageFormat.Webp => "image/webp",
        ImageFormat.Tiff => "image/tiff",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown image format."),
    };

    /// <summary>Parses an extension produced by <see cref="Extension"/>.</summary>
    public static bool TryParseExtension(string extension, out ImageFormat format)
    {
        foreach (var candidate in Enum.GetValues<ImageFormat>())
        {
            if (string.Equals(Extension(candidate), extension, StringComparison.Ordinal))
            {
                format = candidate;
                return true;
            }
        }

        format = default;
        return false;
    }
}
