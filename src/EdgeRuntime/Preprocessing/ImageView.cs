using OpenCvSharp;

namespace EdgeRuntime.Preprocessing;

/// <summary>
/// A borrowed view of 8-bit interleaved pixels (grey, BGR or BGRA) in native memory. It does not own the memory:
/// the caller keeps the pixels alive and unchanged while the view is in use.
/// </summary>
public readonly struct ImageView
{
    public ImageView(IntPtr data, int width, int height, int stride, int channels)
    {
        if (data == IntPtr.Zero)
        {
            throw new ArgumentException("The image has no pixels.", nameof(data));
        }

        if (width < 1 || height < 1)
        {
            throw new ArgumentException($"The image size {width}x{height} is empty.", nameof(width));
        }

        if (channels is not (1 or 3 or 4))
        {
            throw new ArgumentException($"Images must have 1 (grey), 3 (BGR) or 4 (BGRA) channels, not {channels}.", nameof(channels));
        }

        if (stride < width * channels)
        {
            throw new ArgumentException($"Stride {stride} is shorter than a row of {width * channels} bytes.", nameof(stride));
        }

        Data = data;
        Width = width;
        Height = height;
        Stride = stride;
        Channels = channels;
    }

    public IntPtr Data { get; }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Bytes from one row to the next.</summary>
    public int Stride { get; }

    /// <summary>1 = grey, 3 = BGR, 4 = BGRA (OpenCV's order).</summary>
    public int Channels { get; }

    /// <summary>Views the pixels of an 8-bit OpenCV matrix. The matrix must outlive the view.</summary>
    public static ImageView Of(Mat frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (frame.Empty())
        {
            throw new ArgumentException("The frame is empty.", nameof(frame));
        }

        if (frame.Depth() != MatType.CV_8U || frame.Dims > 2)
        {
            throw new ArgumentException($"Frames must be 8-bit 2-D images, not {frame.Type()}.", nameof(frame));
        }

        return new ImageView(frame.Data, frame.Cols, frame.Rows, checked((int)frame.Step()), frame.Channels());
    }
}
