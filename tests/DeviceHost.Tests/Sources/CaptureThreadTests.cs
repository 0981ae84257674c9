using System.Runtime.Versioning;
using DeviceHost.Sources;
using EdgeRuntime.TestSupport;
using EdgeRuntime.TestSupport.Video;
using OpenCvSharp;
using EdgeRuntime.Interop;

namespace DeviceHost.Tests.Sources;

[SupportedOSPlatform("linux")]
public sealed class CaptureThreadTests
{
    [Fact]
    public async Task The_capture_thread_runs_below_the_inference_loop_and_above_background_work()
    {
        using var thread = new DedicatedThread("capture test", FrameSourceOptions.DefaultCaptureNice);

        var nice = await thread.RunAsync(ThreadNice.OfCurrentThread);

        Assert.InRange(nice, 1, LinuxThreadPriority.BackgroundNice - 1);
    }

    [Fact]
    public async Task A_video_file_decodes_on_its_lowered_capture_thread_and_reads_nothing_once_disposed()
    {
        using var dir = new TestDirectory("capture-thread");
        var path = dir.Combine("clip.avi");
        SyntheticVideo.WriteMjpegAvi(path, 4, fps: 10);
        var source = FrameSourceFactory.Create($"file://{path}?realtime=false");
        using var frame = new Mat();
        source.Open();

        Assert.True(await source.ReadAsync(frame));
        var capture = Directory.GetDirectories("/proc/self/task").Select(t => File.ReadAllText(Path.Combine(t, "comm")).Trim()).ToList();
        source.Dispose();

        Assert.Contains(capture, name => name.StartsWith("capture", StringComparison.Ordinal));
        Assert.False(await source.ReadAsync(frame));
    }
}
