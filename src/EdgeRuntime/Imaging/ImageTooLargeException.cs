namespace EdgeRuntime.Imaging;

/// <summary>An image whose header declares more pixels than allowed: refused before decoding (a decompression bomb).</summary>
public sealed class ImageTooLargeException : EdgeRuntimeException
{
    /// <inheritdoc/>
    public override FaultKind Fault => FaultKind.TooLarge;

    public ImageTooLargeException(string imageName, int width, int height, long maxPixels)
        : base(string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"{imageName}: image is {width}x{height} ({(long)width * height} pixels); the limit is {maxPixels} pixels"))
    {
        (ImageName, Width, Height, MaxPixels) = (imageName, width, height, maxPixels);
    }

    public ImageTooLargeException()
    {
        ImageName = "";
    }

    public ImageTooLargeException(string message)
        : base(message)
    {
        ImageName = "";
    }

    public ImageTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
        ImageName = "";
    }

    public string ImageName { get; }

    public int Width { get; }

    public int Height { get; }

    public long MaxPixels { get; }
}
