using System.Buffers.Binary;
using System.Text.Json;
using EdgeRuntime.Embeddings;
using EdgeRuntime.TestSupport;

namespace EdgeRuntime.Tests.Embeddings;

/// <summary>Embedding files load in the tools users open them with: .npy in Debian's numpy.</summary>
public sealed class EmbeddingFileWriterTests : IDisposable
{
    private const string LoadWithNumpy = """
        import json, sys, numpy
        a = numpy.load(sys.argv[1])
        print(json.dumps({"shape": list(a.shape), "dtype": str(a.dtype), "values": a.astype(float).ravel().tolist()}))
        """;

    private readonly TestDirectory _dir = new("edgeruntime-npy");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(3, 2)]
    [InlineData(70, 5)]
    [InlineData(1, 512)]
    public void An_npy_file_loads_in_numpy_with_its_shape_dtype_and_exact_values(int rows, int dimension)
    {
        var rng = new Random(rows * 1000 + dimension);
        var images = Enumerable.Range(0, rows)
            .Select(r => new EmbeddedImage($"img{r}.png", [.. Enumerable.Range(0, dimension).Select(_ => (float)((rng.NextDouble() - 0.3) * Math.Pow(10, rng.Next(-6, 6))))]))
            .ToList();
        images[0].Embedding[0] = float.MaxValue;
        var path = _dir.Combine("out.npy");

        EmbeddingFileWriter.Write(path, images, dimension, EmbeddingFileWriter.FormatFor(path));

        using var loaded = JsonDocument.Parse(Python3.Run(LoadWithNumpy, path));
        var root = loaded.RootElement;
        Assert.Equal([rows, dimension], root.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal("float32", root.GetProperty("dtype").GetString());
        var values = root.GetProperty("values").EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();
        Assert.Equal(images.SelectMany(i => i.Embedding), values);
        Assert.Equal(images.Select(i => i.Name), File.ReadAllLines(path + ".paths.txt"));
    }

    [Fact]
    public void An_npy_file_starts_with_the_single_byte_0x93_and_NUMPY_version_1_0()
    {
        var path = _dir.Combine("magic.npy");

        EmbeddingFileWriter.Write(path, [new EmbeddedImage("a.png", [1f, 2f])], 2, EmbeddingFileFormat.Npy);

        var bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 }, bytes[..8]);
        int headerLength = bytes[8] | (bytes[9] << 8);
        Assert.Equal(0, (10 + headerLength) % 64);
        Assert.Equal(10 + headerLength + (2 * sizeof(float)), bytes.Length);
        Assert.Equal(1f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(10 + headerLength)));
    }
}
