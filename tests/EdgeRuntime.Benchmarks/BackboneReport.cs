using System.Globalization;
using EdgeRuntime.Embeddings;
using EdgeRuntime.Execution;
using EdgeRuntime.Models;
using EdgeRuntime.Preprocessing;
using EdgeRuntime.TestSupport.Images;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;

namespace EdgeRuntime.Benchmarks;

/// <summary>Issue 2's figures in one run: backbone ms/image at batch 1 and 8, preprocessing cost and ratio, allocations, RSS.</summary>
internal static class BackboneReport
{
    public static void Run(int threads)
    {
        var inv = CultureInfo.InvariantCulture;
        double rssBefore = Measure.ResidentMegabytes();
        var manifest = BackboneManifest.Load(BackboneManifest.DefaultPath);
        var factory = new OrtSessionFactory(new ExecutionOptions { IntraOpThreads = threads }, NullLogger<OrtSessionFactory>.Instance);
        using var engine = EmbeddingEngine.Load(manifest, new BackboneOptions { MaxBatchSize = 8 }, factory, NullLogger<EmbeddingEngine>.Instance);
        double rssAfterLoad = Measure.ResidentMegabytes();

        var rng = new Random(1);
        var frames = Enumerable.Range(0, 8).Select(i => SyntheticImages.Create((ImageFamily)(i % 4), rng, 1280, 720)).ToList();
        var tensor = new float[8 * manifest.Input.ElementCount];
        var preprocessor = new FramePreprocessor(manifest.Input, ResizeMode.CenterCrop);
        for (int i = 0; i < 8; i++)
        {
            preprocessor.Process(ImageView.Of(frames[i]), tensor.AsSpan(i * manifest.Input.ElementCount));
        }

        var embeddings = new float[8 * engine.Dimension];
        double batch1 = Measure.MedianMilliseconds(() => engine.EmbedPreprocessed(tensor, 1, embeddings), 5, 30);
        double batch8 = Measure.MedianMilliseconds(() => engine.EmbedPreprocessed(tensor, 8, embeddings), 2, 10) / 8;

        var view = ImageView.Of(frames[0]);
        var one = new float[manifest.Input.ElementCount];
        double pre = Measure.MedianMilliseconds(() => preprocessor.Process(view, one), 20, 200);
        double preAllocated = Measure.AllocatedBytesPerCall(() => preprocessor.Process(view, one), 200);
        var embedding = new float[engine.Dimension];
        double frameAllocated = Measure.AllocatedBytesPerCall(() => engine.Embed(view, embedding), 50);
        double rssSteady = Measure.ResidentMegabytes();

        Console.WriteLine(string.Create(inv, $"""
            == Backbone ({manifest.Name}, {engine.Provider}, {threads} intra-op threads, 1280x720 BGR frames) ==
            backbone only, batch 1            {batch1,8:F2} ms/image
            backbone only, batch 8            {batch8,8:F2} ms/image
            preprocessing (crop+resize+norm)  {pre,8:F3} ms/frame   ratio to backbone batch 1: {100 * pre / batch1:F2} % (target <= 5 %)
            managed bytes per frame: preprocessing {preAllocated:F1}, preprocessing + backbone {frameAllocated:F1} (target 0)
            resident memory: before load {rssBefore:F0} MB, after load {rssAfterLoad:F0} MB, after runs {rssSteady:F0} MB
            """));
        frames.ForEach(f => f.Dispose());
    }
}
