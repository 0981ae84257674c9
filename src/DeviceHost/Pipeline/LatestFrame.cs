using OpenCvSharp;

namespace DeviceHost.Pipeline;

/// <summary>
/// The most recently processed frame and its embedding: served as /frame.jpg and labelled by "capture the current
/// frame" without running the backbone again. Owns its copies of the pixels.
/// <para>
/// The frame loop only ever copies into the slot (a fraction of a millisecond under the lock). JPEG encoding, a few
/// milliseconds per 640x480 frame, happens only when someone asks, on the asker's thread, from a private copy taken
/// under the lock and encoded outside it, so a technician page polling /frame.jpg never holds up inference; and a frame
/// is encoded at most once per quality however many pages poll it.
/// </para>
/// </summary>
public sealed class LatestFrame : IDisposable
{
    private readonly Mat _frame = new();
    private readonly Mat _encodeCopy = new();
    private readonly Lock _gate = new();
    private readonly Lock _encodeGate = new();
    private float[] _embedding = [];
    private DateTimeOffset _capturedAt;
    private long _version;
    private (long Version, int Quality, byte[] Jpeg)? _encoded;

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
            _version++;
        }
    }

    /// <summary>Encodes the frame as JPEG; null before the first frame.</summary>
    public byte[]? Encode(int jpegQuality = 85) => EncodeLatest(jpegQuality)?.Jpeg;

    /// <summary>The frame (high-quality JPEG) with its embedding, or null before the first frame.</summary>
    public (byte[] Image, float[] Embedding, DateTimeOffset CapturedAt)? Snapshot() =>
        EncodeLatest(95) is { } encoded ? (encoded.Jpeg, encoded.Embedding, encoded.CapturedAt) : null;

    public void Dispose()
    {
        _frame.Dispose();
        _encodeCopy.Dispose();
    }

    private (byte[] Jpeg, float[] Embedding, DateTimeOffset CapturedAt)? EncodeLatest(int quality)
    {
        lock (_encodeGate)
        {
            long version;
            float[] embedding;
            DateTimeOffset capturedAt;
            lock (_gate)
            {
                if (_version == 0)
                {
                    return null;
                }

                (version, embedding, capturedAt) = (_version, (float[])_embedding.Clone(), _capturedAt);
                if (_encoded is { } cached && cached.Version == version && cached.Quality == quality)
                {
                    return (cached.Jpeg, embedding, capturedAt);
                }

                _frame.CopyTo(_encodeCopy);
            }

            Cv2.ImEncode(".jpg", _encodeCopy, out var jpeg, new ImageEncodingParam(ImwriteFlags.JpegQuality, quality));
            _encoded = (version, quality, jpeg);
            return (jpeg, embedding, capturedAt);
        }
    }
}
