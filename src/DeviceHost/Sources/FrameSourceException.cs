using EdgeRuntime;

namespace DeviceHost.Sources;

/// <summary>A frame source could not be parsed, opened or read. The message names the (redacted) source.</summary>
public sealed class FrameSourceException : EdgeRuntimeException
{
    public FrameSourceException()
    {
    }

    public FrameSourceException(string message)
        : base(message)
    {
    }

    public FrameSourceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public FrameSourceException(string message, bool isPermanent, Exception? innerException = null)
        : base(message, innerException!)
    {
        IsPermanent = isPermanent;
    }

    /// <summary>
    /// True when retrying cannot help (bad URI, OpenCV lacks the needed backend); a supervisor stops reconnecting.
    /// False for conditions that may clear (camera unplugged, file missing, network down).
    /// </summary>
    public bool IsPermanent { get; }
}
