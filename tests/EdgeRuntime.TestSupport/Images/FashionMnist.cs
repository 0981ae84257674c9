using System.Buffers.Binary;
using System.IO.Compression;
using OpenCvSharp;

namespace EdgeRuntime.TestSupport.Images;

/// <summary>
/// Debian's dataset-fashion-mnist (28x28 grey clothing pictures, 10 classes) from /usr/share/datasets/fashion-mnist:
/// the real images for parity, accuracy and few-shot figures. Reads the gzipped IDX files directly.
/// </summary>
public static class FashionMnist
{
    public const string Directory = "/usr/share/datasets/fashion-mnist";
    public const int Classes = 10;

    public static readonly string[] ClassNames = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    public static bool IsInstalled => File.Exists(Path.Combine(Directory, "t10k-images-idx3-ubyte.gz"));

    /// <summary>Images (28x28 grey, row-major) and labels of "train" or "t10k".</summary>
    public static (byte[][] Images, int[] Labels) Load(string split)
    {
        var labelsPath = Path.Combine(Directory, $"{split}-labels-idx1-ubyte.gz");
        var imagesPath = Path.Combine(Directory, $"{split}-images-idx3-ubyte.gz");
        if (!File.Exists(labelsPath) || !File.Exists(imagesPath))
        {
            throw new FileNotFoundException($"Fashion-MNIST is not installed at {Directory}: run `apt-get install dataset-fashion-mnist` (scripts/install-deps.sh test does).");
        }

        var labelBytes = ReadGzip(labelsPath);
        var imageBytes = ReadGzip(imagesPath);
        var count = BinaryPrimitives.ReadInt32BigEndian(labelBytes.AsSpan(4));
        var (rows, cols) = (BinaryPrimitives.ReadInt32BigEndian(imageBytes.AsSpan(8)), BinaryPrimitives.ReadInt32BigEndian(imageBytes.AsSpan(12)));
        var images = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            images[i] = imageBytes.AsSpan(16 + (i * rows * cols), rows * cols).ToArray();
        }

        return (images, [.. labelBytes.Skip(8).Take(count).Select(b => (int)b)]);
    }

    /// <summary>
    /// Images <paramref name="skipPerClass"/> to <paramref name="skipPerClass"/> + <paramref name="perClass"/> of every
    /// class from the train or test file, in file order. The caller owns the matrices.
    /// </summary>
    public static List<(Mat Image, int Label)> Load(bool train, int perClass, int skipPerClass = 0)
    {
        var (images, labels) = Load(train ? "train" : "t10k");
        var seen = new int[Classes];
        var result = new List<(Mat, int)>();
        for (int i = 0; i < images.Length && result.Count < perClass * Classes; i++)
        {
            int label = labels[i];
            if (seen[label]++ >= skipPerClass && seen[label] <= skipPerClass + perClass)
            {
                result.Add((ToMat(images[i]), label));
            }
        }

        return result;
    }

    /// <summary>A grey Mat of one image; the caller owns it.</summary>
    public static Mat ToMat(byte[] image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var mat = new Mat(28, 28, MatType.CV_8UC1);
        mat.SetArray(image);
        return mat;
    }

    private static byte[] ReadGzip(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        return memory.ToArray();
    }
}
