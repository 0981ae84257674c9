using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using EdgeRuntime.Features;
using EdgeRuntime.Training;

namespace EdgeRuntime.FewShot;

/// <summary>
/// Checkpoint of a <see cref="FewShotHead"/>, version 1, little-endian:
/// <code>
/// "ERFSHEAD" | int32 version = 1 | int32 family | int32 transform kind | int32 D | float32 × D reference mean
/// | int32 partCount | partCount × (int32 length, that many bytes of a <see cref="HeadCheckpoint"/>) | SHA-256 of all preceding bytes
/// </code>
/// </summary>
public static class FewShotHeadCheckpoint
{
    public const int Version = 1;
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("ERFSHEAD");

    /// <summary>True when <paramref name="data"/> starts like a few-shot checkpoint (older heads hold a plain <see cref="HeadCheckpoint"/>).</summary>
    public static bool IsFewShot(ReadOnlySpan<byte> data) => data.StartsWith(Magic);

    public static byte[] Write(FewShotHead head)
    {
        ArgumentNullException.ThrowIfNull(head);
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.ASCII, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(Version);
            writer.Write((int)head.Family);
            writer.Write((int)head.Transform.Kind);
            writer.Write(head.Dimension);
            foreach (var v in head.Transform.ReferenceMean)
            {
                writer.Write(v);
            }

            writer.Write(head.Parts.Count);
            foreach (var part in head.Parts)
            {
                var bytes = part.ToCheckpoint();
                writer.Write(bytes.Length);
                writer.Write(bytes);
            }
        }

        var body = stream.ToArray();
        return [.. body, .. SHA256.HashData(body)];
    }

    public static FewShotHead Read(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length < Magic.Length + 20 + SHA256.HashSizeInBytes || !IsFewShot(data))
        {
            throw Refuse("it is too short or does not start with the ERFSHEAD magic");
        }

        var bodyLength = data.Length - SHA256.HashSizeInBytes;
        if (!SHA256.HashData(data.AsSpan(0, bodyLength)).AsSpan().SequenceEqual(data.AsSpan(bodyLength)))
        {
            throw Refuse("its SHA-256 does not match its content; the file is corrupt or truncated");
        }

        var offset = Magic.Length;
        int Int()
        {
            if (offset + 4 > bodyLength)
            {
                throw Refuse("it ends inside a field");
            }

            var v = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(offset));
            offset += 4;
            return v;
        }

        if (Int() is var version && version != Version)
        {
            throw Refuse($"format version {version} is not supported (expected {Version})");
        }

        var family = (HeadFamily)Int();
        var kind = (FeatureTransformKind)Int();
        var d = Int();
        if (!Enum.IsDefined(family) || d < 1 || offset + (4L * d) > bodyLength)
        {
            throw Refuse("its header describes an invalid head");
        }

        var mean = new float[d];
        for (var j = 0; j < d; j++, offset += 4)
        {
            mean[j] = BinaryPrimitives.ReadSingleLittleEndian(data.AsSpan(offset));
        }

        var count = Int();
        var parts = new List<TrainedHead>();
        for (var p = 0; p < count; p++)
        {
            var length = Int();
            if (length < 0 || offset + (long)length > bodyLength)
            {
                throw Refuse("a part's length runs past the end");
            }

            parts.Add(HeadCheckpoint.Read(data.AsSpan(offset, length).ToArray()));
            offset += length;
        }

        if (offset != bodyLength)
        {
            throw Refuse("it has unexpected trailing bytes");
        }

        try
        {
            return new FewShotHead(FeatureTransform.Create(kind, d, mean), family, parts);
        }
        catch (EdgeRuntimeException ex)
        {
            throw Refuse($"it describes an invalid head ({ex.Message})");
        }
    }

    private static EdgeRuntimeException Refuse(string reason) => new("The few-shot head checkpoint is refused: " + reason + ".");
}
