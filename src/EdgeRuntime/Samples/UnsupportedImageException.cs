namespace EdgeRuntime.Samples;

/// <summary>Image bytes were refused: empty, too large, or not a recognized image format.</summary>
public sealed class UnsupportedImageException : EdgeRuntimeException
{
    public UnsupportedImageException(string message)
        : base(message)
    {
    }
}
