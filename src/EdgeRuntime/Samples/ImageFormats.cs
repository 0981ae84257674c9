namespace EdgeRuntime.Samples;

/// <summary>Sniffs image formats from magic bytes and maps them to file extensions.</summary>
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
