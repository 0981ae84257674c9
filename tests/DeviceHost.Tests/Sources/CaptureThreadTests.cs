using System.Globalization;
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
    public async Task Calls_run_in_order_on_one_named_thread_below_the_callers_priority()
    {
        using var thread = new DedicatedThread("capture test", FrameSourceOptions.DefaultCaptureNice);

        var first = await thread.RunAsync(() => (Environment.CurrentManagedThreadId, Thread.CurrentThread.Name, OwnNice()));
        var second = thread.Invoke(() => Environment.CurrentManagedThreadId);

        Assert.Equal(first.CurrentManagedThreadId, second);
        Assert.NotEqual(Environment.CurrentManagedThreadId, second);
        Assert.Equal("capture test", first.Name);
        Assert.Equal(FrameSourceOptions.DefaultCaptureNice, first.Item3);
    }

    [Fact]
    public async Task A_capture_thread_at_nice_zero_stays_at_the_callers_priority()
    {
        using var thread = new DedicatedThread("capture test", nice: 0);

        Assert.Equal(0, await thread.RunAsync(OwnNice));
    }

    [Fact]
    public void A_lowered_thread_hands_work_to_a_nice_zero_thread_created_at_normal_priority()
    {
        // The training runner's head activation: created by the service, invoked from the nice-10 training thread.
        using var activation = new DedicatedThread("activation test", nice: 0);
        int lowered = -1, handed = -1;
        var training = new Thread(() =>
        {
            EdgeRuntime.Interop.LinuxThreadPriority.TryLowerCurrentThread(10);
            lowered = OwnNice();
            handed = activation.Invoke(OwnNice);
        });
        training.Start();
        training.Join();

        Assert.Equal(10, lowered);
        Assert.Equal(0, handed);
    }

    [Fact]
    public async Task The_callers_continuations_never_run_at_the_capture_threads_priority()
    {
        using var thread = new DedicatedThread("capture test", FrameSourceOptions.DefaultCaptureNice);

        for (int i = 0; i < 50; i++)
        {
            // Many concurrent calls make the thread pool add workers; none may be started (and niced) by capture.
            await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => thread.RunAsync(() => 1)));
            Assert.Equal(0, OwnNice());
        }
    }

    [Fact]
    public async Task An_exception_of_a_call_reaches_its_caller_and_the_thread_goes_on()
    {
        using var thread = new DedicatedThread("capture test", FrameSourceOptions.DefaultCaptureNice);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => thread.RunAsync<bool>(() => throw new InvalidOperationException("bad frame")));

        Assert.Equal("bad frame", failure.Message);
        Assert.Equal(42, await thread.RunAsync(() => 42));
        Assert.Throws<InvalidOperationException>(() => thread.Invoke<int>(() => throw new InvalidOperationException("bad open")));
    }

    [Fact]
    public void A_disposed_capture_thread_refuses_new_calls()
    {
        var thread = new DedicatedThread("capture test", FrameSourceOptions.DefaultCaptureNice);
        thread.Dispose();

        Assert.Throws<ObjectDisposedException>(() => { _ = thread.RunAsync(() => 1); });
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

    /// <summary>The calling thread's nice value, field 19 of its /proc stat line (after the parenthesised name).</summary>
    private static int OwnNice()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[16], CultureInfo.InvariantCulture);
    }
}
