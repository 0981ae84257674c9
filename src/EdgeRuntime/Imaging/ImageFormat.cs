namespace EdgeRuntime.Imaging;

/// <summary>Encoded image formats accepted for upload and import.</summary>
public enum ImageFormat
{
    Unknown,
    Jpeg,
    Png,
    Bmp,
    Webp,
}
