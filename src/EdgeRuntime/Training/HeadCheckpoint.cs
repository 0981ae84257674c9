using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EdgeRuntime.Training;

/// <summary>
/// Checkpoint byte format, version 1, all little-endian:
/// <code>
/// "ERHEADCK" (8 ASCII bytes) | int32 version = 1 | int32 kind (0 Linear, 1 Hidden) | int32 D | int32 K | int32 H (0 if linear)
/// | int32 bestEpoch | int64 adamStep | int32 historyCount
/// | float32 parameters (each tensor in HeadShape.ParameterNames order, row-major)
/// | float32 first moments (same layout) | float32 second moments (same layout)
/// | historyCount × (int32 epoch, float32 trainLoss, float32 holdoutLoss, float32 holdoutAccuracy)
/// | SHA-256 (32 bytes) of every preceding byte
/// </code>
/// Reading checks the magic, version, shape, exact length, hash and that parameters are finite.
/// </summary>
public static class HeadCheckpoint
{
    public const int Version = 1;
    private const int HeaderLength = 8 + (4 * 6) + 8 + 4;
    private const int HistoryEntryLength = 16;
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("ERHEADCK");

    public static byte[] Write(TrainedHead head)
    {
        ArgumentNullException.ThrowIfNull(head);
        var shape = head.Shape;
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.ASCII, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(Version);
            writer.Write((int)shape.Kind);
            writer.Write(shape.Dimension);
            writer.Write(shape.ClassCount);
            writer.Write(shape.HiddenSize);
            writer.Write(head.BestEpoch);
            writer.Write(head.Optimizer.Step);
            writer.Write(head.History.Count);
            foreach (var set in new[] { head.Parameters, head.Optimizer.FirstMoments, head.Optimizer.SecondMoments })
            {
                foreach (var tensor in set)
                {
                    foreach (var value in tensor)
                    {
                        writer.Write(value);
                    }
                }
            }

            foreach (var entry in head.History)
            {
                writer.Write(entry.Epoch);
                writer.Write(entry.TrainLoss);
                writer.Write(entry.HoldoutLoss);
                writer.Write(entry.HoldoutAccuracy);
            }
        }

        var body = stream.ToArray();
        return [.. body, .. SHA256.HashData(body)];
    }

    public static TrainedHead Read(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length < HeaderLength + SHA256.HashSizeInBytes)
        {
            throw Refuse($"it is truncated: {data.Length} bytes, shorter than the {HeaderLength + SHA256.HashSizeInBytes}-byte header and hash");
        }

        if (!data.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw Refuse("it does not start with the ERHEADCK magic; it is not a head checkpoint");
        }

        int Int(int offset) => BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(offset));
        float Float(int offset) => BinaryPrimitives.ReadSingleLittleEndian(data.AsSpan(offset));
        var version = Int(8);
        if (version != Version)
        {
            throw Refuse($"format version {version} is not supported (expected {Version})");
        }

        HeadShape shape;
        try
        {
            shape = new HeadShape((HeadKind)Int(12), Int(16), Int(20), Int(24));
        }
        catch (EdgeRuntimeException ex)
        {
            throw Refuse($"its header describes an invalid head ({ex.Message})");
        }

        var bestEpoch = Int(28);
        var step = BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(32));
        var historyCount = Int(40);
        if (historyCount < 0 || step < 0 || bestEpoch < 0)
        {
            throw Refuse("its header holds a negative count");
        }

        long floats = Enumerable.Range(0, shape.ParameterNames.Count).Sum(i => (long)shape.ParameterLength(i)) * 3;
        var expected = HeaderLength + (floats * 4) + ((long)historyCount * HistoryEntryLength) + SHA256.HashSizeInBytes;
        if (data.Length < expected)
        {
            throw Refuse($"it is truncated: {data.Length} bytes where its header announces {expected}");
        }

        if (data.Length > expected)
        {
            throw Refuse($"it has {data.Length - expected} unexpected trailing bytes after the announced {expected}");
        }

        var bodyLength = (int)(expected - SHA256.HashSizeInBytes);
        if (!SHA256.HashData(data.AsSpan(0, bodyLength)).AsSpan().SequenceEqual(data.AsSpan(bodyLength)))
        {
            throw Refuse("its SHA-256 does not match its content; the file is corrupt");
        }

        var offset = HeaderLength;
        float[][] ReadSet()
        {
            var set = new float[shape.ParameterNames.Count][];
            for (var i = 0; i < set.Length; i++)
            {
                set[i] = new float[shape.ParameterLength(i)];
                for (var j = 0; j < set[i].Length; j++, offset += 4)
                {
                    set[i][j] = Float(offset);
                }
            }

            return set;
        }

        var parameters = ReadSet();
        var first = ReadSet();
        var second = ReadSet();
        if (parameters.Concat(first).Concat(second).Any(t => t.Any(v => !float.IsFinite(v))))
        {
            throw Refuse("it holds non-finite parameter or optimizer values");
        }

        var history = new TrainingProgress[historyCount];
        for (var i = 0; i < historyCount; i++, offset += HistoryEntryLength)
        {
            history[i] = new TrainingProgress(
                Int(offset),
                Float(offset + 4),
                Float(offset + 8),
                Float(offset + 12));
        }

        return new TrainedHead(shape, parameters, new AdamState(first, second, step), bestEpoch, history);
    }

    private static EdgeRuntimeException Refuse(FormattableString reason) => Refuse(reason.ToString(CultureInfo.InvariantCulture));

    private static EdgeRuntimeException Refuse(string reason) => new("The head checkpoint is refused: " + reason + ".");
}
