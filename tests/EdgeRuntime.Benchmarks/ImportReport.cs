using System.Diagnostics;
using System.Globalization;
using EdgeRuntime.Calibration;
using EdgeRuntime.Embeddings;
using EdgeRuntime.Execution;
using EdgeRuntime.Imaging;
using EdgeRuntime.Models;
using EdgeRuntime.Preprocessing;
using EdgeRuntime.TestSupport;
using EdgeRuntime.TestSupport.Images;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeRuntime.Benchmarks;

/// <summary>
/// Import throughput (decode, embed, hash, store image and embedding durably) as a share of backbone-only throughput
/// on the same images: how much the bookkeeping around the backbone costs.
/// </summary>
internal static class ImportReport
{
    private const int PerClass = 12;
    private const int Rounds = 5;

    public static void Run(OrtSessionFactory factory, int threads)
    {
        var inv = CultureInfo.InvariantCulture;
        var manifest = BackboneManifest.Load(BackboneManifest.DefaultPath);
        using var engine = EmbeddingEngine.Load(manifest, new BackboneOptions(), factory, NullLogger<EmbeddingEngine>.Instance);
        using var images = new TestDirectory("import-report");
        ImageFamily[] families = [ImageFamily.Stripes, ImageFamily.Blobs, ImageFamily.Checker, ImageFamily.Rings];
        SyntheticImages.WriteImageFolder(images.Combine("folder"), families, PerClass, seed: 3);
        var files = Directory.EnumerateFiles(images.Combine("folder"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        int count = files.Count, elements = engine.Info.Input.ElementCount;

        // Backbone only: tensors prepared up front (untimed), then the backbone in the engine's batch size.
        var tensors = new float[count * elements];
        for (int i = 0; i < count; i++)
        {
            using var mat = ImageDecoder.DecodeFile(files[i]);
            engine.Preprocess(ImageView.Of(mat), tensors.AsSpan(i * elements, elements));
        }

        var embeddings = new float[count * engine.Dimension];
        void BackboneOnly()
        {
            for (int start = 0; start < count; start += engine.Info.MaxBatchSize)
            {
                int n = Math.Min(engine.Info.MaxBatchSize, count - start);
                engine.EmbedPreprocessed(tensors.AsSpan(start * elements, n * elements), n, embeddings.AsSpan(start * engine.Dimension, n * engine.Dimension));
            }
        }

        BackboneOnly();
        List<double> backbone = [], embedFiles = [], import = [], backboneCpu = [], embedFilesCpu = [], importCpu = [];
        for (int round = 0; round < Rounds; round++)
        {
            // Alternating rounds so load from other users of the machine hits both sides alike.
            backbone.Add(Time(BackboneOnly, backboneCpu));
            embedFiles.Add(Time(() => engine.EmbedFiles(files), embedFilesCpu));
            using var data = new TestDirectory("import-report-data");
            using var workspace = new CalibrationWorkspace(data.Path, engine, factory, new CalibrationOptions(), NullLoggerFactory.Instance);
            import.Add(Time(() =>
            {
                var result = workspace.Import(images.Combine("folder"));
                if (result.Added != count)
                {
                    throw new InvalidOperationException($"Import added {result.Added} of {count} images.");
                }
            }, importCpu));
        }

        double backboneMs = Median(backbone), embedMs = Median(embedFiles), importMs = Median(import);
        Console.WriteLine(string.Create(inv, $"""
            == Import throughput ({count} generated PNG/JPEG images, {engine.Provider}, {threads} threads, batch {engine.Info.MaxBatchSize}, median of {Rounds}) ==
            backbone only (EmbedPreprocessed)        {backboneMs / count,7:F1} ms/image wall {1000 * count / backboneMs,6:F1} images/s   {Median(backboneCpu) / count,6:F1} ms/image process CPU
            EmbedFiles (decode+preprocess+backbone)  {embedMs / count,7:F1} ms/image wall {1000 * count / embedMs,6:F1} images/s   {Median(embedFilesCpu) / count,6:F1} ms/image process CPU
            CalibrationWorkspace.Import              {importMs / count,7:F1} ms/image wall {1000 * count / importMs,6:F1} images/s   {Median(importCpu) / count,6:F1} ms/image process CPU
            import / backbone-only throughput        {backboneMs / importMs,7:F2} wall (target >= 0.9), {Median(backboneCpu) / Median(importCpu):F2} by CPU time
            """));
    }

    private static double Time(Action action, List<double> cpu)
    {
        var before = Environment.CpuUsage.TotalTime;
        long start = Stopwatch.GetTimestamp();
        action();
        double wall = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        cpu.Add((Environment.CpuUsage.TotalTime - before).TotalMilliseconds);
        return wall;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
