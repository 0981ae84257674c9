namespace EdgeRuntime.Imaging;

/// <summary>
/// Image container formats recognised from their leading bytes. The names are stored in the sample database, so
/// they never change. TIFF is recognised (older stores may hold it) but neither decoded nor accepted any more.
/// </summary>
public enum ImageFormat
{
    /// <summary>JPEG (<c>.jpg</c>).</summary>
    Jpeg,

    /// <summary>PNG (<c>.png</c>).</summary>
    Png,

    /// <summary>Windows bitmap (<c>.bmp</c>).</summary>
    Bmp,

    /// <summary>WebP (<c>.webp</c>).</summary>
    Webp,

    /// <summary>TIFF (<c>.tif</c>).</summary>
    Tiff,
}
