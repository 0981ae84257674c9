using System.Runtime.Versioning;
using DeviceHost.Sources;
using EdgeRuntime.TestSupport;
using EdgeRuntime.TestSupport.Time;
using EdgeRuntime.TestSupport.Video;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;
using static DeviceHost.Tests.Sources.SupervisorHarness;

namespace DeviceHost.Tests.Sources;

[SupportedOSPlatform("linux")]
public sealed class SupervisedVideoFileTests
{
    private const int FrameCount = 4;

    [Fact]
    public async Task A_looping_file_that_is_deleted_goes_reconnecting_then_failed_and_recovers_when_put_back()
    {
        using var dir = new TestDirectory("supervised");
        var path = dir.Combine("clip.avi");
        SyntheticVideo.WriteMjpegAvi(path, FrameCount);
        var time = new ManualTimeProvider();
        using var supervisor = SupervisedFrameSource.ForUri(
            $"file://{path}?loop=true&realtime=false",
            new FrameSourceOptions { TimeProvider = time },
            new SupervisorOptions { JitterFraction = 0, MaxConsecutiveReadFailures = 2, FailedAfterAttempts = 3 },
            NullLogger<SupervisedFrameSource>.Instance);
        using var frame = new Mat();

        // Play the whole file, so the next read has to loop back to the start, which reopens the file.
        for (var i = 0; i < FrameCount; i++)
        {
            await Within(supervisor.ReadAsync(frame).AsTask());
        }

        Assert.Equal(FrameSourceState.Streaming, supervisor.Status.State);
        Assert.Equal(FrameSourceKind.File, supervisor.Status.Kind);
        File.Delete(path);
        var read = supervisor.ReadAsync(frame).AsTask();

        var delays = new List<double>();
        var states = new List<FrameSourceState>();
        for (var i = 0; i < 3; i++)
        {
            delays.Add((await BackoffAsync(supervisor, time)).TotalSeconds);
            states.Add(supervisor.Status.State);
            time.AdvanceToNextTimer();
        }

        await BackoffAsync(supervisor, time);
        var failed = supervisor.Status;
        Assert.Equal([0.5, 1, 2], delays);
        Assert.Equal([FrameSourceState.Reconnecting, FrameSourceState.Reconnecting, FrameSourceState.Failed], states);
        Assert.Equal(FrameSourceState.Failed, failed.State);
        Assert.Contains($"{path} does not exist", failed.LastError, StringComparison.Ordinal);
        Assert.Equal(2, failed.ReadFailures);
        Assert.False(read.IsCompleted);

        SyntheticVideo.WriteMjpegAvi(path, FrameCount);
        time.AdvanceToNextTimer();
        await Within(read);

        var recovered = supervisor.Status;
        Assert.Equal(FrameSourceState.Streaming, recovered.State);
        Assert.Equal(0, recovered.RetryStreak);
        Assert.Equal(4, recovered.Reconnects);
        Assert.Equal(FrameCount + 1, recovered.FramesCaptured);
        Assert.Equal(0, SyntheticVideo.IndexOf(frame, FrameCount));
    }

    // File reads run off-thread under a stall watch timer; the backoff is the single timer left once the next attempt is scheduled.
    private static async Task<TimeSpan> BackoffAsync(SupervisedFrameSource supervisor, ManualTimeProvider time)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            await time.WaitForPendingTimersAsync(1).WaitAsync(guard.Token);
            if (supervisor.Status.NextAttemptAt is { } at && time.PendingDueTimes is [var due] && time.GetUtcNow() + due == at)
            {
                return due;
            }

            await Task.Delay(5, guard.Token);
        }
    }
}
