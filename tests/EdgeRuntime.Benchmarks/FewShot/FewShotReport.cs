using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EdgeRuntime.Augmentation;
using EdgeRuntime.Embeddings;
using EdgeRuntime.Execution;
using EdgeRuntime.Features;
using EdgeRuntime.FewShot;
using EdgeRuntime.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeRuntime.Benchmarks.FewShot;

/// <summary>
/// Issue 8's benchmark: on real ResNet-18 embeddings of Fashion-MNIST, at 5, 20 and 100 shots per class and several
/// seeded draws, the head chosen by cross-validation (and refit on every sample) against scikit-learn's
/// LogisticRegression() and LogisticRegressionCV() on the same embeddings and draws, accuracy on 1,000 test images and
/// fit time, all in one run. One row per feature transform, to choose the default.
/// </summary>
internal static class FewShotReport
{
    private static readonly int[] Shots = [5, 20, 100];

    public static void Run(int threads, string directory, int draws)
    {
        var inv = CultureInfo.InvariantCulture;
        var factory = new OrtSessionFactory(new ExecutionOptions { IntraOpThreads = threads }, NullLogger<OrtSessionFactory>.Instance);
        FashionEmbeddings data;
        using (var engine = EmbeddingEngine.Load(BackboneManifest.Load(BackboneManifest.DefaultPath), new BackboneOptions(), factory, NullLogger<EmbeddingEngine>.Instance))
        {
            data = FashionEmbeddings.LoadOrBuild(engine, directory, poolPerClass: 150, testPerClass: 100);
        }

        var drawList = Shots.SelectMany(s => Enumerable.Range(0, draws).Select(d => (Shots: s, Draw: d, Indices: Draw(data.PoolLabels, s, (1000 * s) + d)))).ToList();
        var drawsPath = Path.Combine(directory, "draws.json");
        File.WriteAllText(drawsPath, JsonSerializer.Serialize(drawList.Select(d => new { shots = d.Shots, draw = d.Draw, indices = d.Indices })));

        var trainer = new FewShotTrainer(factory);
        var search = new RecipeSearch(trainer);
        var configs = Enum.GetValues<FeatureTransformKind>()
            .Select(t => (Name: $"EdgeRuntime CV, {t}", Options: new RecipeSearchOptions { Transforms = [t] }, Views: true))
            .Append((Name: "EdgeRuntime CV, PowerCenteredL2, no views", Options: new RecipeSearchOptions { Transforms = [FeatureTransformKind.PowerCenteredL2] }, Views: false))
            .ToList();
        var ours = new Dictionary<(string, int), List<(double Accuracy, double Ms, string Recipe)>>();
        foreach (var (shots, draw, indices) in drawList)
        {
            foreach (var (name, options, views) in configs)
            {
                var samples = Samples(data, indices, views);
                var watch = Stopwatch.StartNew();
                var selection = search.Select(samples, options);
                var head = trainer.Fit(samples, selection.Recipe);
                var ms = watch.Elapsed.TotalMilliseconds;
                var predicted = head.Predict(data.Test);
                var accuracy = predicted.Zip(data.TestLabels).Count(p => p.First == p.Second) / (double)data.TestLabels.Length;
                Console.Error.WriteLine(string.Create(inv, $"{name}, {shots} shots, draw {draw}: {accuracy:P2} in {ms:F0} ms, chose {selection.Recipe} at {selection.Estimate}"));
                (ours.TryGetValue((name, shots), out var list) ? list : ours[(name, shots)] = []).Add((accuracy, ms, selection.Recipe.ToString()));
            }
        }

        var timing = TimeThousand(trainer, search, Samples(data, drawList.First(d => d.Shots == 100).Indices, views: false));
        var peer = RunPeer(directory, drawsPath);
        Console.WriteLine(string.Create(inv, $"""

            == Few-shot heads on Fashion-MNIST, ResNet-18 embeddings ({data.Dimension}-d), {draws} seeded draws per row, test set {data.TestLabels.Length} images, {threads} threads ==
            accuracy: mean ± standard deviation over draws; time: median wall time of training with selection (EdgeRuntime: CV + refit; scikit-learn: fit)
            """));
        Console.WriteLine("| shots/class | model | accuracy | vs better scikit-learn | fit time |");
        Console.WriteLine("| --- | --- | --- | --- | --- |");
        foreach (var shots in Shots)
        {
            var lr = peer.Where(p => p.Shots == shots).ToList();
            var lrAcc = lr.Select(p => p.LrAcc).ToList();
            var cvAcc = lr.Select(p => p.LrCvAcc).ToList();
            var better = Math.Max(lrAcc.Average(), cvAcc.Average());
            Console.WriteLine(string.Create(inv, $"| {shots} | scikit-learn LogisticRegression() | {Format(lrAcc)} | | {Median(lr.Select(p => p.LrMs)):F0} ms |"));
            Console.WriteLine(string.Create(inv, $"| {shots} | scikit-learn LogisticRegressionCV() | {Format(cvAcc)} | | {Median(lr.Select(p => p.LrCvMs)):F0} ms |"));
            foreach (var (name, _, _) in configs)
            {
                var runs = ours[(name, shots)];
                var acc = runs.Select(r => r.Accuracy).ToList();
                Console.WriteLine(string.Create(inv, $"| {shots} | {name} | {Format(acc)} | {Math.Round(100 * (acc.Average() - better), 1):+0.0;-0.0;0.0} points | {Median(runs.Select(r => r.Ms)):F0} ms |"));
            }
        }

        Console.WriteLine();
        Console.WriteLine(timing);
        foreach (var ((name, shots), runs) in ours.Where(o => o.Key.Item1.EndsWith("PowerCenteredL2", StringComparison.Ordinal)))
        {
            Console.WriteLine($"{name}, {shots} shots, recipes chosen: {string.Join("; ", runs.GroupBy(r => r.Recipe).Select(g => $"{g.Count()}x {g.Key}"))}");
        }
    }

    /// <summary>Selection + refit on the 1,000 embeddings of a 100-shot draw (no views), median of 3, by family set.</summary>
    private static string TimeThousand(FewShotTrainer trainer, RecipeSearch search, FewShotSamples samples)
    {
        var lines = new List<string>();
        foreach (var (name, families) in new (string, HeadFamily[])[]
        {
            ("default (Discriminant, Linear, Ensemble)", [HeadFamily.Discriminant, HeadFamily.Linear, HeadFamily.Ensemble]),
            ("Discriminant only", [HeadFamily.Discriminant]),
            ("Linear only", [HeadFamily.Linear]),
        })
        {
            var options = new RecipeSearchOptions { Families = families, Mirror = AugmentMode.Off, Crop = AugmentMode.Off, Colour = AugmentMode.Off };
            var cpu = Environment.CpuUsage.TotalTime;
            var ms = Measure.MedianMilliseconds(() => trainer.Fit(samples, search.Select(samples, options).Recipe), 1, 3);
            var cpuMs = (Environment.CpuUsage.TotalTime - cpu).TotalMilliseconds / 4;
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"training with selection on {samples.Count} cached embeddings, {name}: {ms:F0} ms wall (median of 3, target < 2 s), {cpuMs:F0} ms process CPU per run"));
        }

        return string.Join(Environment.NewLine, lines);
    }

    internal static int[] Draw(int[] labels, int shots, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, 10).SelectMany(c =>
        {
            var members = Enumerable.Range(0, labels.Length).Where(i => labels[i] == c).ToArray();
            random.Shuffle(members);
            return members.Take(shots);
        }).Order()];
    }

    internal static FewShotSamples Samples(FashionEmbeddings data, int[] indices, bool views)
    {
        var d = data.Dimension;
        float[] Rows(float[] source) => [.. indices.SelectMany(i => source.AsSpan(i * d, d).ToArray())];
        var sources = Enumerable.Range(0, indices.Length).ToArray();
        IReadOnlyList<AugmentedViews> augmented = views
            ? [.. KindViewAugmenter.Kinds.Select(k => new AugmentedViews(k, Rows(data.Views[k]), sources))]
            : [];
        return new FewShotSamples(Rows(data.Pool), [.. indices.Select(i => data.PoolLabels[i])], d, 10, augmented);
    }

    private static List<(int Shots, double LrAcc, double LrMs, double LrCvAcc, double LrCvMs)> RunPeer(string directory, string drawsPath)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "FewShot", "sklearn_peer.py");
        var start = new ProcessStartInfo("/usr/bin/python3", [script, directory, drawsPath]) { RedirectStandardOutput = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The scikit-learn peer failed (exit {process.ExitCode}); is python3-sklearn installed?");
        }

        using var json = JsonDocument.Parse(output);
        return [.. json.RootElement.EnumerateArray().Select(e => (
            e.GetProperty("shots").GetInt32(),
            e.GetProperty("lr_acc").GetDouble(),
            e.GetProperty("lr_ms").GetDouble(),
            e.GetProperty("lrcv_acc").GetDouble(),
            e.GetProperty("lrcv_ms").GetDouble()))];
    }

    private static string Format(IReadOnlyList<double> values)
    {
        var mean = values.Average();
        var sd = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0;
        return string.Create(CultureInfo.InvariantCulture, $"{100 * mean:F2} ± {100 * sd:F2} %");
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
