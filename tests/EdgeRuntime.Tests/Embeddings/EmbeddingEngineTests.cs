using EdgeRuntime.Embeddings;
using EdgeRuntime.Execution;
using EdgeRuntime.Models;
using EdgeRuntime.Preprocessing;
using EdgeRuntime.TestSupport;
using EdgeRuntime.TestSupport.Images;
using EdgeRuntime.TestSupport.Logging;
using EdgeRuntime.Tests.Preprocessing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;

namespace EdgeRuntime.Tests.Embeddings;

public sealed class EmbeddingEngineTests(BackboneFixture backbone) : IClassFixture<BackboneFixture>
{
    [Fact]
    public void The_ResNet18_backbone_loads_on_the_CPU_with_a_512_wide_embedding()
    {
        var info = backbone.Engine.Info;
        Assert.Equal(ExecutionProvider.Cpu, info.Provider);
        Assert.Equal(512, info.EmbeddingDimension);
        Assert.Equal(224, info.Input.Width);
        Assert.True(info.BatchMadeDynamic);
        Assert.Matches("^[0-9a-f]{32}-centercrop$", info.BackboneHash);
    }

    [Fact]
    public void Requesting_CUDA_on_a_machine_without_it_falls_back_to_the_CPU_and_logs_why()
    {
        var log = new ListLogger<OrtSessionFactory>();
        var options = new ExecutionOptions();
        options.Providers.Clear();
        options.Providers.Add(ExecutionProvider.TensorRt);
        options.Providers.Add(ExecutionProvider.Cuda);
        var factory = new OrtSessionFactory(options, log);
        using var engine = EmbeddingEngine.Load(backbone.Manifest, new BackboneOptions { MaxBatchSize = 1 }, factory, NullLogger<EmbeddingEngine>.Instance);

        Assert.Equal(ExecutionProvider.Cpu, engine.Provider);
        Assert.Equal([ExecutionProvider.TensorRt, ExecutionProvider.Cuda], engine.Info.ProviderFailures.Select(f => f.Provider));
        Assert.All(engine.Info.ProviderFailures, f => Assert.False(string.IsNullOrWhiteSpace(f.Reason)));
        var warnings = log.Entries.Where(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning).Select(e => e.Message).ToList();
        Assert.Contains(warnings, m => m.Contains("Cuda", StringComparison.Ordinal) && m.Contains(engine.Info.ProviderFailures[1].Reason, StringComparison.Ordinal));
    }

    [Fact]
    public void The_merged_preprocessing_graph_gives_the_same_embedding_as_running_the_shipped_graphs_one_after_the_other()
    {
        using var image = SyntheticImages.Create(ImageFamily.Rings, new Random(3), 400, 300);
        var spec = backbone.Manifest.Input;
        var reference = ReferencePreprocessing.Run(image, spec, ResizeMode.CenterCrop).Select(v => (float)v).ToArray();

        long[] shape = [1, 3, 224, 224];
        using var pre = new InferenceSession(backbone.Manifest.PreprocessingGraphPath!);
        using var net = new InferenceSession(backbone.Manifest.ModelPath);
        using var input = OrtValue.CreateTensorValueFromMemory(reference, shape);
        using var preOut = pre.Run(new RunOptions(), ["OriginalInput"], [input], ["PreprocessedInput"]);
        using var netOut = net.Run(new RunOptions(), ["Input247"], [preOut[0]], ["Pooling395_Output_0"]);
        var expected = netOut[0].GetTensorDataAsSpan<float>().ToArray();

        var actual = backbone.Engine.Embed(image);
        AssertClose(expected, actual, 1e-3f);
    }

    [Fact]
    public void Batched_and_single_embeddings_agree_and_repeat_exactly()
    {
        var rng = new Random(11);
        var frames = Enumerable.Range(0, 10).Select(i => SyntheticImages.Create((ImageFamily)(i % 4), rng, 200 + (i * 20), 180)).ToList();
        try
        {
            var batched = new float[frames.Count * 512];
            backbone.Engine.EmbedBatch(frames, batched);
            for (int i = 0; i < frames.Count; i++)
            {
                var single = backbone.Engine.Embed(frames[i]);
                AssertClose(single, batched.AsSpan(i * 512, 512).ToArray(), 1e-4f);
            }

            Assert.Equal(backbone.Engine.Embed(frames[0]), backbone.Engine.Embed(frames[0]));
        }
        finally
        {
            frames.ForEach(f => f.Dispose());
        }
    }

    [Fact]
    public void Embeddings_separate_two_visually_different_families_by_nearest_class_mean()
    {
        var rng = new Random(2024);
        float[] Embed(ImageFamily family)
        {
            using var mat = SyntheticImages.Create(family, rng, rng.Next(200, 400), rng.Next(160, 320));
            return backbone.Engine.Embed(mat);
        }

        ImageFamily[] families = [ImageFamily.Stripes, ImageFamily.Blobs];
        var means = families.Select(f => Mean(Enumerable.Range(0, 15).Select(_ => Embed(f)).ToList())).ToArray();
        int correct = 0, total = 0;
        foreach (var (family, index) in families.Select((f, i) => (f, i)))
        {
            for (int k = 0; k < 30; k++)
            {
                var e = Embed(family);
                int predicted = Distance(e, means[0]) <= Distance(e, means[1]) ? 0 : 1;
                correct += predicted == index ? 1 : 0;
                total++;
            }
        }

        Assert.True(correct >= 0.95 * total, $"nearest-mean accuracy {correct}/{total}");
    }

    private static float[] Mean(List<float[]> rows)
    {
        var mean = new float[rows[0].Length];
        foreach (var row in rows)
        {
            for (int i = 0; i < mean.Length; i++)
            {
                mean[i] += row[i] / rows.Count;
            }
        }

        return mean;
    }

    private static double Distance(float[] a, float[] b) => a.Zip(b, (x, y) => (double)(x - y) * (x - y)).Sum();

    internal static void AssertClose(float[] expected, float[] actual, float tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        float scale = Math.Max(1f, expected.Max(Math.Abs));
        float worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= tolerance * scale, $"largest difference {worst} (scale {scale})");
    }
}
