using System.Buffers.Binary;
using System.IO.Compression;

namespace EdgeRuntime.TestSupport.Images;

/// <summary>
/// Decompression bombs: small, complete, valid files whose header declares a huge image (a 1-bit PNG of zeros
/// compresses about 1000:1). Decoding one takes width x height bytes of memory; refusing it must not.
/// </summary>
public static class ImageBombs
{
    /// <summary>A valid 1-bit greyscale PNG of <paramref name="width"/> x <paramref name="height"/> black pixels.</summary>
    public static byte[] Png(int width, int height)
    {
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 1; // bit depth
        header[9] = 0; // greyscale
        Chunk(png, "IHDR", header);

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var row = new byte[1 + ((width + 7) / 8)]; // filter byte 0, then zero bits
            for (int y = 0; y < height; y++)
            {
                zlib.Write(row);
            }
        }

        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>A JPEG that is only a frame header declaring <paramref name="width"/> x <paramref name="height"/>, then end of image.</summary>
    public static byte[] JpegHeader(ushort width, ushort height)
    {
        byte[] bytes = [0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x0B, 0x08, 0, 0, 0, 0, 0x01, 0x01, 0x11, 0x00, 0xFF, 0xD9];
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(7), height);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(9), width);
        return bytes;
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        var typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        png.Write(typeBytes);
        png.Write(data);
        Span<byte> sum = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(sum, ~Crc(Crc(0xFFFFFFFFu, typeBytes), data));
        png.Write(sum);
    }

    // CRC-32 (IEEE, reflected), bit by bit: chunks here are small apart from one IDAT of a few hundred KB.
    private static uint Crc(uint crc, ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return crc;
    }
}
