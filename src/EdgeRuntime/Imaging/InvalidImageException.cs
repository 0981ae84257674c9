namespace EdgeRuntime.Imaging;

/// <summary>An image that cannot be used: empty, truncated, not an image, unsupported depth or too small.</summary>
public sealed class InvalidImageException : EdgeRuntimeException
{
    public InvalidImageException()
    {
    }

    public InvalidImageException(string message)
        : base(message)
    {
    }

    public InvalidImageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public InvalidImageException(string imageName, string reason, Exception? innerException = null)
        : base($"{imageName}: {reason}", innerException!)
    {
        ImageName = imageName;
        Reason = reason;
    }

    /// <summary>File name or caller-supplied name of the image.</summary>
    public string ImageName { get; } = "";

    /// <summary>Why it was refused, without the name.</summary>
    public string Reason { get; } = "";
}
