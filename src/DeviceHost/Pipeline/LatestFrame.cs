using OpenCvSharp;

namespace DeviceHost.Pipeline;

/// <summary>
/// The most recently processed frame and its embedding: served as /frame.jpg and labelled by "capture the current
/// frame" without running the backbone again. Owns its copy of the pixels.
/// </summary>
public sealed class LatestFrame : IDisposable
{
    private readonly Mat _frame = new();
    private readonly Lock _gate = new();
    private float[] _embedding = [];
    private DateTimeOffset _capturedAt;
    private bool _has;

    public void Update(Mat frame, ReadOnlySpan<float> embedding, DateTimeOffset capturedAt)
    {
        ArgumentNullException.ThrowIfNull(frame);
        lock (_gate)
        {
            frame.CopyTo(_frame);
            if (_embedding.Length != embedding.Length)
            {
                _embedding = new float[embedding.Length];
            }

            embedding.CopyTo(_embedding);
            _capturedAt = capturedAt;
            _has = true;
        }
    }

    /// <summary>Encodes the frame; null before the first frame.</summary>
    public byte[]? Encode(string extension = ".jpg", int jpegQuality = 85)
    {
        lock (_gate)
        {
            if (!_has)
            {
                return null;
            }

            Cv2.ImEncode(extension, _frame, out var bytes, new ImageEncodingParam(ImwriteFlags.JpegQuality, jpegQuality));
            return bytes;
        }
    }

    /// <summary>The frame (high-quality JPEG) with its embedding, or null before the first frame.</summary>
    public (byte[] Image, float[] Embedding, DateTimeOffset CapturedAt)? Snapshot()
    {
        lock (_gate)
        {
            if (!_has)
            {
                return null;
            }

            Cv2.ImEncode(".jpg", _frame, out var jpeg, new ImageEncodingParam(ImwriteFlags.JpegQuality, 95));
            return (jpeg, (float[])_embedding.Clone(), _capturedAt);
        }
    }

    public void Dispose() => _frame.Dispose();
}
