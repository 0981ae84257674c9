using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace EdgeRuntime.Embeddings;

/// <summary>Writes embeddings to files other tools load directly (numpy.load, pandas.read_csv).</summary>
public static class EmbeddingFileWriter
{
    /// <summary>Chooses the format from the extension: .csv is CSV, anything else NumPy.</summary>
    public static EmbeddingFileFormat FormatFor(string path) =>
        string.Equals(Path.GetExtension(path), ".csv", StringComparison.OrdinalIgnoreCase) ? EmbeddingFileFormat.Csv : EmbeddingFileFormat.Npy;

    /// <summary>Writes atomically: a reader never sees a half-written file.</summary>
    public static void Write(string path, IReadOnlyList<EmbeddedImage> rows, int dimension, EmbeddingFileFormat format)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        Storage.AtomicFile.Replace(Storage.DiskFileSystem.Instance, full, stream =>
        {
            if (format == EmbeddingFileFormat.Csv)
            {
                WriteCsv(stream, rows, dimension);
            }
            else
            {
                WriteNpy(stream, rows, dimension);
            }
        });
        if (format == EmbeddingFileFormat.Npy)
        {
            File.WriteAllLines(full + ".paths.txt", rows.Select(r => r.Name));
        }
    }

    /// <summary>
    /// The six bytes 0x93 'N' 'U' 'M' 'P' 'Y'. Written as bytes, not as a string: a "\x93" in a UTF-8 literal is the
    /// character U+0093, encoded as C2 93, which numpy.load refuses.
    /// </summary>
    private static ReadOnlySpan<byte> NpyMagic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    private static void WriteNpy(Stream stream, IReadOnlyList<EmbeddedImage> rows, int dimension)
    {
        // NPY v1.0: magic, version, little-endian header length, a Python dict literal padded to 64 bytes.
        var header = string.Create(CultureInfo.InvariantCulture, $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows.Count}, {dimension}), }}");
        int unpadded = 10 + header.Length + 1;
        header += new string(' ', ((unpadded + 63) / 64 * 64) - unpadded) + "\n";
        stream.Write(NpyMagic);
        stream.WriteByte(1);
        stream.WriteByte(0);
        Span<byte> length = [(byte)(header.Length & 0xFF), (byte)(header.Length >> 8)];
        stream.Write(length);
        stream.Write(Encoding.ASCII.GetBytes(header));
        var buffer = new byte[dimension * sizeof(float)];
        foreach (var row in rows)
        {
            CheckLength(row, dimension);
            for (int i = 0; i < dimension; i++)
            {
                // '<f4' in the header: little-endian whatever the host's byte order.
                BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(i * sizeof(float)), row.Embedding[i]);
            }

            stream.Write(buffer);
        }
    }

    private static void WriteCsv(Stream stream, IReadOnlyList<EmbeddedImage> rows, int dimension)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
        writer.Write("path");
        for (int i = 0; i < dimension; i++)
        {
            writer.Write(string.Create(CultureInfo.InvariantCulture, $",e{i}"));
        }

        writer.Write('\n');
        foreach (var row in rows)
        {
            CheckLength(row, dimension);
            writer.Write(Quote(row.Name));
            foreach (var value in row.Embedding)
            {
                writer.Write(',');
                writer.Write(value.ToString("R", CultureInfo.InvariantCulture));
            }

            writer.Write('\n');
        }
    }

    private static void CheckLength(EmbeddedImage row, int dimension)
    {
        if (row.Embedding.Length != dimension)
        {
            throw new ArgumentException($"Embedding of {row.Name} has {row.Embedding.Length} values, expected {dimension}.", nameof(row));
        }
    }

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
