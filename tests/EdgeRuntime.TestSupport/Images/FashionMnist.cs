using System.Buffers.Binary;
using System.IO.Compression;
using OpenCvSharp;

namespace EdgeRuntime.TestSupport.Images;

/// <summary>
/// Debian's dataset-fashion-mnist (28x28 grey clothing pictures, 10 classes): the real images for parity and accuracy
/// figures. Reads the gzipped IDX files directly. The caller owns returned matrices.
/// </summary>
public static class FashionMnist
{
    public const string Directory = "/usr/share/datasets/fashion-mnist";
    public const int Classes = 10;

    public static bool IsInstalled => File.Exists(Path.Combine(Directory, "t10k-images-idx3-ubyte.gz"));

    /// <summary>The first <paramref name="perClass"/> images of every class from the train or test file, in file order.</summary>
    public static List<(Mat Image, int Label)> Load(bool train, int perClass, int skipPerClass = 0)
    {
        var prefix = train ? "train" : "t10k";
        var images = ReadGz(Path.Combine(Directory, $"{prefix}-images-idx3-ubyte.gz"));
        var labels = ReadGz(Path.Combine(Directory, $"{prefix}-labels-idx1-ubyte.gz"));
        int count = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(4));
        int rows = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(8)), cols = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(12));
        var seen = new int[Classes];
        var result = new List<(Mat, int)>();
        for (int i = 0; i < count && result.Count < perClass * Classes; i++)
        {
            int label = labels[8 + i];
            if (seen[label]++ < skipPerClass || seen[label] > skipPerClass + perClass)
            {
                continue;
            }

            var mat = new Mat(rows, cols, MatType.CV_8UC1);
            mat.SetArray(images.AsSpan(16 + (i * rows * cols), rows * cols).ToArray());
            result.Add((mat, label));
        }

        return result;
    }

    private static byte[] ReadGz(string path)
    {
        using var file = File.OpenRead(path);
        using var gz = new GZipStream(file, CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gz.CopyTo(memory);
        return memory.ToArray();
    }
}
