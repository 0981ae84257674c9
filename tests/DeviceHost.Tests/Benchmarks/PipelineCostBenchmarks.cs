using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using DeviceHost.Composition;
using DeviceHost.Pipeline;
using EdgeRuntime.Embeddings;
using EdgeRuntime.Execution;
using EdgeRuntime.TestSupport;
using EdgeRuntime.TestSupport.Video;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;
using Xunit.Abstractions;

namespace DeviceHost.Tests.Benchmarks;

/// <summary>
/// Where a frame's time goes besides the backbone (run with <c>EDGERUNTIME_BENCH=1</c>): decoding a 640x480 MJPEG file
/// frame through FFmpeg, the same frame's JPEG decoded by libjpeg at full and at half size (DCT scaling), the copy
/// into the latest-frame slot, the /frame.jpg encode, and the backbone itself, all in one run. Prints, never asserts.
/// </summary>
[SupportedOSPlatform("linux")]
[Collection(BenchmarkCollection.Name)]
public sealed class PipelineCostBenchmarks(ITestOutputHelper output) : IDisposable
{
    private const int Frames = 60;
    private readonly TestDirectory _work = new("edgeruntime-pipeline-cost");

    public void Dispose() => _work.Dispose();

    [BenchFact]
    public void Per_frame_costs_of_the_pipeline_stages()
    {
        var video = _work.Combine("camera.avi");
        SyntheticVideo.WriteMjpegAvi(video, frameCount: Frames, width: 640, height: 480, fps: 10);
        var inv = CultureInfo.InvariantCulture;
        Print($"machine: {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Trim()}");

        using var frame = new Mat();
        double ffmpeg = PerFrame(() =>
        {
            using var capture = new VideoCapture(video, VideoCaptureAPIs.FFMPEG);
            int n = 0;
            while (capture.Read(frame) && !frame.Empty())
            {
                n++;
            }

            return n;
        });

        using (var first = new VideoCapture(video, VideoCaptureAPIs.FFMPEG))
        {
            first.Read(frame);
        }

        var jpeg = frame.ImEncode(".jpg", new ImageEncodingParam(ImwriteFlags.JpegQuality, 90));
        double full = PerFrame(() => Repeat(() => Cv2.ImDecode(jpeg, ImreadModes.Color).Dispose()));
        double half = PerFrame(() => Repeat(() => Cv2.ImDecode(jpeg, ImreadModes.ReducedColor2).Dispose()));
        double raw = PerFrame(() =>
        {
            using var capture = new VideoCapture(video, VideoCaptureAPIs.FFMPEG);
            capture.Set(VideoCaptureProperties.Format, -1);
            using var packet = new Mat();
            int n = 0;
            while (capture.Read(packet) && !packet.Empty())
            {
                using var decoded = Cv2.ImDecode(packet, ImreadModes.ReducedColor2);
                n++;
            }

            return n;
        });

        using var latest = new LatestFrame();
        var embedding = new float[512];
        double copy = PerFrame(() => Repeat(() => latest.Update(frame, embedding, DateTimeOffset.UnixEpoch)));
        double encode = PerFrame(() => Repeat(() => latest.Encode()));

        var factory = EngineLoader.CreateFactory(new ExecutionOptions { IntraOpThreads = 2 }, NullLoggerFactory.Instance);
        using var engine = EngineLoader.Load(new BackboneOptions(), factory, NullLoggerFactory.Instance);
        double backbone = PerFrame(() => Repeat(() => engine.Embed(frame, embedding), 20));

        Print(string.Create(inv, $"""
            per 640x480 frame, ms (median of 3 passes):
              FFmpeg VideoCapture.Read (full MJPEG decode + BGR)   {ffmpeg,7:F2}
              raw MJPEG packet + libjpeg half-size (DCT) decode    {raw,7:F2}
              libjpeg decode, full size                            {full,7:F2}
              libjpeg decode, half size (IMREAD_REDUCED_COLOR_2)   {half,7:F2}
              copy into the latest-frame slot                      {copy,7:F2}
              /frame.jpg encode (quality 85)                       {encode,7:F2}
              backbone (fp32, 2 threads, preprocessing included)   {backbone,7:F2}
            """));
    }

    private static int Repeat(Action action, int times = Frames)
    {
        for (int i = 0; i < times; i++)
        {
            action();
        }

        return times;
    }

    private static double PerFrame(Func<int> pass)
    {
        pass();
        var samples = new List<double>();
        for (int i = 0; i < 3; i++)
        {
            var clock = Stopwatch.StartNew();
            int n = pass();
            samples.Add(clock.Elapsed.TotalMilliseconds / Math.Max(1, n));
        }

        return samples.Order().ElementAt(1);
    }

    private void Print(string line)
    {
        output.WriteLine(line);
        Console.WriteLine(line);
    }
}
