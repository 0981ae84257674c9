namespace EdgeRuntime.Samples;

/// <summary>Image container formats the store accepts, recognized from their leading bytes.</summary>
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
