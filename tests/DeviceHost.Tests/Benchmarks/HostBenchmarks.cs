using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using System.Text.Json;
using DeviceHost.Composition;
using DeviceHost.Pipeline;
using DeviceHost.Tests.Hosting;
using EdgeRuntime.Embeddings;
using EdgeRuntime.Execution;
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
/// latency under load while inferring, and memory after a while. Prints, never asserts on time.
/// </summary>
[SupportedOSPlatform("linux")]
[Collection(BenchmarkCollection.Name)]
public sealed class HostBenchmarks(ITestOutputHelper output) : IDisposable
{
    private const int Threads = 2;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan SoakTime = TimeSpan.FromMinutes(2);
    private readonly TestDirectory _work = new("edgeruntime-bench");

    public void Dispose() => _work.Dispose();

    [BenchFact]
    public async Task Device_host_figures()
    {
        var video = _work.Combine("camera.avi");
        SyntheticVideo.WriteMjpegAvi(video, frameCount: 100, width: 640, height: 480, fps: 10);
        var fileUri = new Uri(video).AbsoluteUri;
        Print($"machine: {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Trim()}; ONNX Runtime intra-op threads {Threads}");

        await ChildProcessFiguresAsync(fileUri + "?loop=true&realtime=true");
        var pipelineFps = await PipelineThroughputAsync(fileUri + "?loop=true&realtime=false");
        var backboneFps = BackboneThroughput(video);
        Print($"throughput: pipeline {pipelineFps:F2} frames/s (unpaced 640x480 MJPG file) vs backbone alone {backboneFps:F2} frames/s; ratio {pipelineFps / backboneFps:F3} (target >= 0.95)");
    }

    /// <summary>Start-to-ready, /status under load while inferring a 10 fps camera, latency, and RSS after <see cref="SoakTime"/>, on a real child process.</summary>
    private async Task ChildProcessFiguresAsync(string source)
    {
        var data = _work.Combine("child-data");
        Directory.CreateDirectory(data);
        var settings = new Dictionary<string, string?> { ["Pipeline:Source"] = source, ["Execution:IntraOpThreads"] = Threads.ToString(CultureInfo.InvariantCulture) };
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

        var remaining = SoakTime - started.Elapsed;
        if (remaining > TimeSpan.Zero)
        {
            await Task.Delay(remaining);
        }

        var status = await child.Client.GetJsonAsync("/status");
        PrintPipeline($"after {SoakTime.TotalMinutes:0} minutes (10 fps camera)", status);
        var rss = Memory(child.ProcessId);
        Print($"memory: RSS {rssAtReady.RssMb:F0} MB at ready, {rss.RssMb:F0} MB after {SoakTime.TotalMinutes:0} minutes (peak {rss.PeakMb:F0} MB); " +
              "the soak is 2 minutes here, not the hours a device runs");
        child.Terminate();
        Print($"SIGTERM: exit code {await child.WaitForExitAsync(TimeSpan.FromSeconds(30))}");
    }

    private async Task<double> PipelineThroughputAsync(string source)
    {
        var started = Stopwatch.StartNew();
        await using var host = await DeviceHostRunner.StartAsync(new Dictionary<string, string?>
        {
            ["Pipeline:Source"] = source,
            ["Execution:IntraOpThreads"] = Threads.ToString(CultureInfo.InvariantCulture),
        });
        await Poll.UntilTrueAsync(async () => (await host.Client.GetAsync(HostApi.Path("/readyz"))).IsSuccessStatusCode, TimeSpan.FromSeconds(60), "readiness");
        Print($"in-process start-to-ready (build, start, first frame): {started.Elapsed.TotalSeconds:F2} s");
        var metrics = host.Services.GetRequiredService<PipelineMetrics>();
        await Task.Delay(WarmUp);
        var (processed, captured, clock) = (metrics.Processed, metrics.Captured, Stopwatch.StartNew());
        await Task.Delay(Window);
        var fps = (metrics.Processed - processed) / clock.Elapsed.TotalSeconds;
        Print($"pipeline, unpaced file: {fps:F2} frames/s processed, {(metrics.Captured - captured) / clock.Elapsed.TotalSeconds:F2} frames/s captured (the rest dropped as stale)");
        PrintPipeline("unpaced file", await host.Client.GetJsonAsync("/status"));
        return fps;
    }

    private double BackboneThroughput(string video)
    {
        using var capture = new VideoCapture(video, VideoCaptureAPIs.FFMPEG);
        using var frame = new Mat();
        if (!capture.Read(frame) || frame.Empty())
        {
            throw new InvalidOperationException($"Could not decode a frame of {video}.");
        }

        var factory = EngineLoader.CreateFactory(new ExecutionOptions { IntraOpThreads = Threads }, NullLoggerFactory.Instance);
        using var engine = EngineLoader.Load(new BackboneOptions(), factory, NullLoggerFactory.Instance);
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
        Print($"backbone alone (same 640x480 frame, same thread budget, nothing else in this process): {fps:F2} frames/s, {1000 / fps:F1} ms/frame");
        return fps;
    }

    private void PrintPipeline(string when, JsonElement status)
    {
        var pipeline = status.GetProperty("pipeline");
        var latency = pipeline.GetProperty("latencyMs");
        Print($"capture-to-prediction latency, {when}: p50 {latency.GetProperty("p50")} ms, p95 {latency.GetProperty("p95")} ms; " +
              $"{pipeline.GetProperty("fps")} frames/s; processed {pipeline.GetProperty("framesProcessed")}, dropped {pipeline.GetProperty("framesDropped")}, failed {pipeline.GetProperty("failedFrames")}");
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
