using System.Runtime.InteropServices;
using System.Text.Json;
using EdgeRuntime.Augmentation;
using EdgeRuntime.Embeddings;
using EdgeRuntime.TestSupport.Images;
using OpenCvSharp;

namespace EdgeRuntime.Benchmarks.FewShot;

/// <summary>
/// Real ResNet-18 embeddings of Fashion-MNIST, cached in the output directory as raw little-endian float32/int32 files
/// (numpy.fromfile reads them): a training pool of the first <c>poolPerClass</c> images of each class of the training
/// split with one view per <see cref="ViewKinds"/> kind, and a test set of the first <c>testPerClass</c> of each class
/// of the t10k split. Rebuilt when the backbone or the sizes change.
/// </summary>
internal sealed record FashionEmbeddings(float[] Pool, int[] PoolLabels, IReadOnlyDictionary<ViewKinds, float[]> Views, float[] Test, int[] TestLabels, int Dimension)
{
    public static FashionEmbeddings LoadOrBuild(EmbeddingEngine engine, string directory, int poolPerClass, int testPerClass)
    {
        Directory.CreateDirectory(directory);
        var metaPath = Path.Combine(directory, "meta.json");
        var meta = JsonSerializer.Serialize(new { engine.BackboneHash, poolPerClass, testPerClass, engine.Dimension });
        if (!File.Exists(metaPath) || File.ReadAllText(metaPath) != meta)
        {
            Build(engine, directory, poolPerClass, testPerClass);
            File.WriteAllText(metaPath, meta);
        }

        return new FashionEmbeddings(
            Read<float>(directory, "pool.f32"),
            Read<int>(directory, "pool.labels.i32"),
            KindViewAugmenter.Kinds.ToDictionary(k => k, k => Read<float>(directory, $"view-{k}.f32".ToLowerInvariant())),
            Read<float>(directory, "test.f32"),
            Read<int>(directory, "test.labels.i32"),
            engine.Dimension);
    }

    private static void Build(EmbeddingEngine engine, string directory, int poolPerClass, int testPerClass)
    {
        var (trainImages, trainLabels) = FashionMnist.Load("train");
        var (testImages, testLabels) = FashionMnist.Load("t10k");
        var pool = FirstPerClass(trainLabels, poolPerClass);
        var test = FirstPerClass(testLabels, testPerClass);
        Console.Error.WriteLine($"Embedding {pool.Length} pool images x {1 + KindViewAugmenter.Kinds.Count} views and {test.Length} test images (cached in {directory}) ...");
        Write(directory, "pool.f32", Embed(engine, pool.Select(i => trainImages[i]), null));
        Write(directory, "pool.labels.i32", pool.Select(i => trainLabels[i]).ToArray());
        foreach (var kind in KindViewAugmenter.Kinds)
        {
            Write(directory, $"view-{kind}.f32".ToLowerInvariant(), Embed(engine, pool.Select(i => trainImages[i]), kind));
        }

        Write(directory, "test.f32", Embed(engine, test.Select(i => testImages[i]), null));
        Write(directory, "test.labels.i32", test.Select(i => testLabels[i]).ToArray());
    }

    private static int[] FirstPerClass(int[] labels, int perClass) =>
        [.. Enumerable.Range(0, 10).SelectMany(c => Enumerable.Range(0, labels.Length).Where(i => labels[i] == c).Take(perClass)).Order()];

    private static float[] Embed(EmbeddingEngine engine, IEnumerable<byte[]> images, ViewKinds? kind)
    {
        var list = images.ToList();
        var result = new float[list.Count * engine.Dimension];
        const int Batch = 8;
        for (var first = 0; first < list.Count; first += Batch)
        {
            var mats = list.Skip(first).Take(Batch).Select(image =>
            {
                using var original = FashionMnist.ToMat(image);
                return kind is { } k ? KindViewAugmenter.Apply(original, k) : original.Clone();
            }).ToList();
            engine.EmbedBatch(mats, result.AsSpan(first * engine.Dimension, mats.Count * engine.Dimension));
            mats.ForEach(m => m.Dispose());
        }

        return result;
    }

    private static void Write<T>(string directory, string name, T[] values)
        where T : unmanaged => File.WriteAllBytes(Path.Combine(directory, name), MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    private static T[] Read<T>(string directory, string name)
        where T : unmanaged => MemoryMarshal.Cast<byte, T>(File.ReadAllBytes(Path.Combine(directory, name))).ToArray();
}
