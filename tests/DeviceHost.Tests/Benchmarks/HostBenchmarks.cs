using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using System.Text.Json;
using DeviceHost.Composition;
using DeviceHost.Pipeline;
using DeviceHost.Sources;
using DeviceHost.Tests.Hosting;
using EdgeRuntime.Embeddings;
using EdgeRuntime.Execution;
using EdgeRuntime.Precision;
using EdgeRuntime.Quantization;
using EdgeRuntime.TestSupport.Images;
using EdgeRuntime.TestSupport;
using EdgeRuntime.TestSupport.Video;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;
using Xunit.Abstractions;

namespace DeviceHost.Tests.Benchmarks;

/// <summary>
/// Figures of the whole device service on this machine (run with <c>EDGERUNTIME_BENCH=1</c>): start-to-ready time,
/// pipeline throughput against the bare backbone at the same thread budget, capture-to-prediction latency, /status
/// latency under load while inferring, and memory over a soak (EDGERUNTIME_SOAK_MINUTES, default 2) with the int8
/// backbone, with the slope of resident memory; pipeline and backbone-alone throughput for fp32 and for int8.
/// Prints, never asserts on time.
/// </summary>
[SupportedOSPlatform("linux")]
[Collection(BenchmarkCollection.Name)]
public sealed class HostBenchmarks(ITestOutputHelper output) : IDisposable
{
    private const int Threads = 2;
    private const int Rounds = 5;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan SoakTime = TimeSpan.FromMinutes(
        double.TryParse(Environment.GetEnvironmentVariable("EDGERUNTIME_SOAK_MINUTES"), CultureInfo.InvariantCulture, out var minutes) && minutes > 0 ? minutes : 2);

    private static readonly TimeSpan RssInterval = TimeSpan.FromSeconds(30);
    private readonly TestDirectory _work = new("edgeruntime-bench");

    public void Dispose() => _work.Dispose();

    [BenchFact]
    public async Task Device_host_figures()
    {
        var video = _work.Combine("camera.avi");
        SyntheticVideo.WriteMjpegAvi(video, frameCount: 100, width: 640, height: 480, fps: 10);
        var fileUri = new Uri(video).AbsoluteUri;
        Print($"machine: {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Trim()}; ONNX Runtime intra-op threads {Threads}");

        var int8Data = _work.Combine("int8-data");
        QuantizeInto(int8Data);
        await ChildProcessFiguresAsync(fileUri + "?loop=true&realtime=true", int8Data);
        foreach (var precision in new[] { BackbonePrecision.Fp32, BackbonePrecision.Int8 })
        {
            // Alternating rounds, each ratio taken from windows a few seconds apart, in a rotating order: on a machine
            // shared with other work the load drifts by more within minutes than the pipeline's overhead, and a drift
            // in one direction would otherwise always favour the same side. The pipeline runs with capture at the
            // default nice value and at the inference loop's priority (Pipeline:CaptureNice 0), the peer of the choice.
            using var engine = LoadEngine(precision, int8Data);
            var rounds = new List<(double Lowered, double Level, double Backbone)>();
            for (int round = 0; round < Rounds; round++)
            {
                var fps = new double[3];
                for (int k = 0; k < 3; k++)
                {
                    int which = (k + round) % 3;
                    fps[which] = which switch
                    {
                        0 => await PipelineThroughputAsync(fileUri + "?loop=true&realtime=false", precision, int8Data, CaptureThread.DefaultNice),
                        1 => await PipelineThroughputAsync(fileUri + "?loop=true&realtime=false", precision, int8Data, 0),
                        _ => BackboneThroughput(video, engine),
                    };
                }

                rounds.Add((fps[0], fps[1], fps[2]));
                Print($"throughput {precision}, round {round + 1}: pipeline {fps[0]:F2} frames/s (capture nice {CaptureThread.DefaultNice}), {fps[1]:F2} (capture nice 0) vs backbone alone {fps[2]:F2} frames/s; " +
                      $"ratios {fps[0] / fps[2]:F3}, {fps[1] / fps[2]:F3}");
            }

            foreach (var (name, pick) in new (string, Func<(double Lowered, double Level, double Backbone), double>)[]
            {
                ($"capture nice {CaptureThread.DefaultNice} (default)", r => r.Lowered),
                ("capture nice 0", r => r.Level),
            })
            {
                var ratios = rounds.Select(r => pick(r) / r.Backbone).Order().ToList();
                Print($"throughput {precision}, {name}: pipeline {Median(rounds.Select(pick)):F2} frames/s (unpaced 640x480 MJPG file) vs backbone alone {Median(rounds.Select(r => r.Backbone)):F2} frames/s; " +
                      $"median ratio of {Rounds} rounds {ratios[ratios.Count / 2]:F3} (rounds {string.Join(" ", ratios.Select(r => r.ToString("F3", CultureInfo.InvariantCulture)))}; target >= 0.95)");
            }
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static EmbeddingEngine LoadEngine(BackbonePrecision precision, string int8Data)
    {
        var factory = EngineLoader.CreateFactory(new ExecutionOptions { IntraOpThreads = Threads }, NullLoggerFactory.Instance);
        return EngineLoader.Load(new BackboneOptions { Precision = precision }, factory, NullLoggerFactory.Instance, int8Data);
    }

    /// <summary>An int8 backbone calibrated on 300 fashion-mnist pictures, cached in a data directory the hosts copy.</summary>
    private void QuantizeInto(string data)
    {
        var factory = EngineLoader.CreateFactory(new ExecutionOptions { IntraOpThreads = Threads }, NullLoggerFactory.Instance);
        using var engine = EngineLoader.Load(new BackboneOptions { Precision = BackbonePrecision.Int8 }, factory, NullLoggerFactory.Instance);
        var pictures = FashionMnist.Load(train: true, perClass: 30);
        var images = CalibrationImageSet.FromEncoded(pictures.Select(p =>
        {
            using (p.Image)
            {
                return p.Image.ImEncode(".png");
            }
        }), "samples");
        var report = new BackbonePrecisionSwitch(data, factory, NullLoggerFactory.Instance).QuantizeAndSwitch(engine, images, head: null, switchEngine: false);
        Print($"int8 backbone: {report.CalibrationImages} fashion-mnist images calibrated + {report.HeldBackImages} held back in {report.Seconds:F1} s, {report.Chosen}, " +
              $"median cosine {report.Parity.MedianCosine:F4}, passed {report.Passed}");
    }

    private string CopyData(string from)
    {
        var to = _work.Combine("data-" + Guid.NewGuid().ToString("N")[..8]);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return to;
    }

    /// <summary>Start-to-ready, /status under load while inferring a 10 fps camera, latency, and RSS after <see cref="SoakTime"/>, on a real child process.</summary>
    private async Task ChildProcessFiguresAsync(string source, string int8Data)
    {
        var data = CopyData(int8Data);
        var settings = new Dictionary<string, string?>
        {
            ["Pipeline:Source"] = source,
            ["Execution:IntraOpThreads"] = Threads.ToString(CultureInfo.InvariantCulture),
            ["Backbone:Precision"] = "Int8",
        };
        var started = Stopwatch.StartNew();
        using var child = await DeviceHostRunner.StartChildAsync(data, settings, TimeSpan.FromSeconds(120));
        var startToReady = started.Elapsed;
        Print($"start-to-ready (process start until /readyz 200, polled every 100 ms): {startToReady.TotalSeconds:F2} s (target <= 5 s)");
        var rssAtReady = Memory(child.ProcessId);

        await Task.Delay(WarmUp);
        var (latencies, failures) = await OpenLoopLoad.RunAsync(child.Client, HostApi.Path("/status"), requestsPerSecond: 200, Window);
        Print($"/status under 200 requests/s for {Window.TotalSeconds:0} s while inferring a 10 fps camera: {latencies.Count} answered, {failures} failed; " +
              $"p50 {Percentiles.Of(latencies, 50):F2} ms, p95 {Percentiles.Of(latencies, 95):F2} ms, p99 {Percentiles.Of(latencies, 99):F2} ms, max {latencies.DefaultIfEmpty().Max():F2} ms");
        var underLoad = await child.Client.GetJsonAsync("/status");
        PrintPipeline("during the /status load (10 fps camera)", underLoad);

        var samples = new List<(double Minutes, double RssMb)> { (started.Elapsed.TotalMinutes, rssAtReady.RssMb) };

        // One sample per interval until the soak ends (the last interval may be shorter, never a burst of samples).
        var next = TimeSpan.Zero;
        while (next < SoakTime)
        {
            next = next + RssInterval < SoakTime ? next + RssInterval : SoakTime;
            var wait = next - started.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            samples.Add((started.Elapsed.TotalMinutes, Memory(child.ProcessId).RssMb));
        }

        var status = await child.Client.GetJsonAsync("/status");
        PrintPipeline($"after {SoakTime.TotalMinutes:0} minutes (10 fps camera, int8 backbone)", status);
        Print($"precision in /status: {status.GetProperty("precision")}");
        var rss = Memory(child.ProcessId);

        // Slope over the second half of the soak: the first minutes include start-up growth (JIT, first allocations).
        var tail = samples.Where(s => s.Minutes >= SoakTime.TotalMinutes / 2).ToList();
        Print($"memory (int8 backbone): RSS {rssAtReady.RssMb:F0} MB at ready, {rss.RssMb:F0} MB after {SoakTime.TotalMinutes:0} minutes, max sampled {samples.Max(s => s.RssMb):F0} MB " +
              $"(peak {rss.PeakMb:F0} MB, target <= 400); slope over the second half {Slope(tail):F2} MB/min; samples every {RssInterval.TotalSeconds:0} s: " +
              string.Join(" ", samples.Select(s => s.RssMb.ToString("F0", CultureInfo.InvariantCulture))));
        child.Terminate();
        Print($"SIGTERM: exit code {await child.WaitForExitAsync(TimeSpan.FromSeconds(30))}");
    }

    private async Task<double> PipelineThroughputAsync(string source, BackbonePrecision precision, string int8Data, int captureNice)
    {
        var started = Stopwatch.StartNew();
        await using var host = await DeviceHostRunner.StartAsync(new Dictionary<string, string?>
        {
            ["Pipeline:Source"] = source,
            ["Execution:IntraOpThreads"] = Threads.ToString(CultureInfo.InvariantCulture),
            ["Backbone:Precision"] = precision.ToString(),
            ["Pipeline:CaptureNice"] = captureNice.ToString(CultureInfo.InvariantCulture),
        }, CopyData(int8Data));
        await Poll.UntilTrueAsync(async () => (await host.Client.GetAsync(HostApi.Path("/readyz"))).IsSuccessStatusCode, TimeSpan.FromSeconds(60), "readiness");
        Print($"in-process start-to-ready (build, start, first frame): {started.Elapsed.TotalSeconds:F2} s");
        var metrics = host.Services.GetRequiredService<PipelineMetrics>();
        await Task.Delay(WarmUp);
        var (processed, captured, clock) = (metrics.Processed, metrics.Captured, Stopwatch.StartNew());
        await Task.Delay(Window);
        var fps = (metrics.Processed - processed) / clock.Elapsed.TotalSeconds;
        Print($"pipeline {precision}, capture nice {captureNice}, unpaced file: {fps:F2} frames/s processed, {(metrics.Captured - captured) / clock.Elapsed.TotalSeconds:F2} frames/s captured (the rest dropped as stale)");
        PrintPipeline("unpaced file", await host.Client.GetJsonAsync("/status"));
        return fps;
    }

    private double BackboneThroughput(string video, EmbeddingEngine engine)
    {
        using var capture = new VideoCapture(video, VideoCaptureAPIs.FFMPEG);
        using var frame = new Mat();
        if (!capture.Read(frame) || frame.Empty())
        {
            throw new InvalidOperationException($"Could not decode a frame of {video}.");
        }

        var embedding = new float[engine.Dimension];
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed < WarmUp)
        {
            engine.Embed(frame, embedding);
        }

        var frames = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Window)
        {
            engine.Embed(frame, embedding);
            frames++;
        }

        var fps = frames / clock.Elapsed.TotalSeconds;
        Print($"backbone alone {engine.Info.Precision.Active} (same 640x480 frame, same thread budget, nothing else in this process): {fps:F2} frames/s, {1000 / fps:F1} ms/frame");
        return fps;
    }

    private void PrintPipeline(string when, JsonElement status)
    {
        var pipeline = status.GetProperty("pipeline");
        var latency = pipeline.GetProperty("latencyMs");
        Print($"capture-to-prediction latency, {when}: p50 {latency.GetProperty("p50")} ms, p95 {latency.GetProperty("p95")} ms; " +
              $"{pipeline.GetProperty("fps")} frames/s; processed {pipeline.GetProperty("framesProcessed")}, dropped {pipeline.GetProperty("framesDropped")}, failed {pipeline.GetProperty("failedFrames")}");
    }

    private static double Slope(List<(double Minutes, double RssMb)> points)
    {
        if (points.Count < 2)
        {
            return double.NaN;
        }

        double mx = points.Average(p => p.Minutes), my = points.Average(p => p.RssMb);
        double sxx = points.Sum(p => (p.Minutes - mx) * (p.Minutes - mx));
        return sxx == 0 ? double.NaN : points.Sum(p => (p.Minutes - mx) * (p.RssMb - my)) / sxx;
    }

    private static (double RssMb, double PeakMb) Memory(int pid)
    {
        double Read(string[] lines, string key) =>
            double.Parse(lines.Single(l => l.StartsWith(key, StringComparison.Ordinal))[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
        var lines = File.ReadAllLines($"/proc/{pid}/status");
        return (Read(lines, "VmRSS:"), Read(lines, "VmHWM:"));
    }

    private void Print(string line)
    {
        output.WriteLine(line);
        Console.WriteLine(line);
    }
}
