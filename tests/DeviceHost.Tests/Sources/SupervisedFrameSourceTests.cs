using System.Runtime.Versioning;
using DeviceHost.Sources;
using OpenCvSharp;
using static DeviceHost.Tests.Sources.SupervisorHarness;

namespace DeviceHost.Tests.Sources;

[SupportedOSPlatform("linux")]
public sealed class SupervisedFrameSourceTests
{
    [Fact]
    public async Task A_healthy_source_streams_and_counts_frames_under_a_redacted_name()
    {
        using var h = new SupervisorHarness();
        Assert.Equal(FrameSourceState.Connecting, h.Supervisor.Status.State);

        for (var i = 0; i < 3; i++)
        {
            await Within(h.ReadAsync());
        }

        var status = h.Supervisor.Status;
        Assert.Equal(FrameSourceState.Streaming, status.State);
        Assert.Equal(3, status.FramesCaptured);
        Assert.Equal(0, status.Reconnects);
        Assert.Equal("rtsp://fake:***@camera/1", status.Source);
        Assert.Equal(10, status.NominalFps);
        Assert.Equal(3, h.Frame.At<Vec3b>(0, 0).Item0);
        Assert.Equal([FrameSourceState.Streaming], h.States);
    }

    [Fact]
    public async Task Failed_opens_back_off_exponentially_to_the_cap_show_failed_and_recover_when_the_device_returns()
    {
        using var h = new SupervisorHarness(new SupervisorOptions { JitterFraction = 0, FailedAfterAttempts = 5 });
        h.Camera.Available = false;
        var read = h.ReadAsync();

        var delays = new List<double>();
        var states = new List<FrameSourceState>();
        for (var i = 0; i < 9; i++)
        {
            delays.Add((await h.NextTimerAsync()).TotalSeconds);
            states.Add(h.Supervisor.Status.State);
            h.Time.AdvanceToNextTimer();
        }

        Assert.Equal([0.5, 1, 2, 4, 8, 16, 30, 30, 30], delays);
        Assert.Equal(
            [.. Enumerable.Repeat(FrameSourceState.Reconnecting, 4), .. Enumerable.Repeat(FrameSourceState.Failed, 5)],
            states);
        Assert.Contains("unplugged", h.Supervisor.Status.LastError, StringComparison.Ordinal);
        Assert.False(read.IsCompleted);

        // The tenth attempt has failed once its backoff is pending; only then may the device come back.
        Assert.Equal(TimeSpan.FromSeconds(30), await h.NextTimerAsync());
        h.Camera.Available = true;
        h.Time.AdvanceToNextTimer();
        await Within(read);

        var status = h.Supervisor.Status;
        Assert.Equal(FrameSourceState.Streaming, status.State);
        Assert.Equal(0, status.RetryStreak);
        Assert.Equal(10, status.Reconnects);
        Assert.Equal(11, h.Camera.OpenAttempts);
        Assert.Equal(1, h.Camera.LiveSources);

        // Recovery resets the backoff: the next failure waits the initial delay again.
        h.Camera.Mode = FakeReadMode.NoFrame;
        var next = h.ReadAsync();
        Assert.Equal(TimeSpan.FromSeconds(0.5), await h.NextTimerAsync());
        Assert.Equal(FrameSourceState.Reconnecting, h.Supervisor.Status.State);
        h.Camera.Mode = FakeReadMode.Frames;
        h.Time.AdvanceToNextTimer();
        await Within(next);
    }

    [Fact]
    public async Task While_waiting_out_a_backoff_the_status_says_when_the_next_attempt_is_due()
    {
        using var h = new SupervisorHarness();
        h.Camera.Available = false;
        var read = h.ReadAsync();

        await h.NextTimerAsync();

        Assert.Equal(h.Time.GetUtcNow() + TimeSpan.FromSeconds(0.5), h.Supervisor.Status.NextAttemptAt);
        h.Camera.Available = true;
        h.Time.AdvanceToNextTimer();
        await Within(read);
        Assert.Null(h.Supervisor.Status.NextAttemptAt);
    }

    [Theory]
    [InlineData(10.0, 2.0, 2.0)]
    [InlineData(1.0, 2.0, 10.0)]
    [InlineData(null, 3.0, 3.0)]
    public async Task A_silent_source_is_declared_stalled_after_the_stall_timeout_then_reconnected(double? fps, double minimumSeconds, double expectedSeconds)
    {
        using var h = new SupervisorHarness(new SupervisorOptions
        {
            JitterFraction = 0,
            ReconnectGracePeriod = TimeSpan.Zero,
            MinimumStallTimeout = TimeSpan.FromSeconds(minimumSeconds),
            StallFrameIntervals = 10,
        });
        h.Camera.Fps = fps;
        await Within(h.ReadAsync());

        h.Camera.Mode = FakeReadMode.Hangs;
        var read = h.ReadAsync();
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), await h.NextTimerAsync());
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), h.Supervisor.Status.StallTimeout);
        h.Time.AdvanceToNextTimer();
        await h.WaitForStateAsync(FrameSourceState.Reconnecting);

        Assert.Equal([FrameSourceState.Streaming, FrameSourceState.Stalled, FrameSourceState.Reconnecting], h.States);
        var status = h.Supervisor.Status;
        Assert.Equal(1, status.Stalls);
        Assert.StartsWith("Stalled: no frame for", status.LastError, StringComparison.Ordinal);
        Assert.Equal(0, h.Camera.LiveSources);

        h.Camera.Mode = FakeReadMode.Frames;
        Assert.Equal(TimeSpan.FromSeconds(0.5), await h.NextTimerAsync());
        h.Time.AdvanceToNextTimer();
        await Within(read);
        Assert.Equal(FrameSourceState.Streaming, h.Supervisor.Status.State);
        Assert.Equal(1, h.Supervisor.Status.Reconnects);
        Assert.Equal(2, h.Camera.Opens);
    }

    [Fact]
    public async Task After_each_connect_stall_detection_waits_out_the_grace_period()
    {
        using var h = new SupervisorHarness(new SupervisorOptions
        {
            JitterFraction = 0,
            ReconnectGracePeriod = TimeSpan.FromSeconds(10),
            MinimumStallTimeout = TimeSpan.FromSeconds(2),
        });
        h.Camera.Mode = FakeReadMode.Hangs;
        var read = h.ReadAsync();

        Assert.Equal(TimeSpan.FromSeconds(10), await h.NextTimerAsync());
        h.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal([TimeSpan.FromSeconds(8)], h.Time.PendingDueTimes);
        Assert.Empty(h.States);

        h.Time.Advance(TimeSpan.FromSeconds(8));
        await h.WaitForStateAsync(FrameSourceState.Reconnecting);
        Assert.Equal(TimeSpan.FromSeconds(0.5), await h.NextTimerAsync());
        h.Time.AdvanceToNextTimer();

        // Reconnected, still silent: the grace period applies afresh rather than the 2 s stall timeout.
        Assert.Equal(TimeSpan.FromSeconds(10), await h.NextTimerAsync());
        Assert.Equal(2, h.Camera.Opens);
        Assert.Equal(1, h.Supervisor.Status.Stalls);
        Assert.False(read.IsCompleted);
    }

    [Fact]
    public async Task Once_the_grace_period_is_over_the_stall_timeout_counts_from_when_the_reader_asks()
    {
        using var h = new SupervisorHarness(new SupervisorOptions
        {
            JitterFraction = 0,
            ReconnectGracePeriod = TimeSpan.FromSeconds(10),
            MinimumStallTimeout = TimeSpan.FromSeconds(2),
        });
        await Within(h.ReadAsync());

        // The consumer was busy for 12 s; that is not the camera's fault.
        h.Time.Advance(TimeSpan.FromSeconds(12));
        h.Camera.Mode = FakeReadMode.Hangs;
        var read = h.ReadAsync();

        Assert.Equal(TimeSpan.FromSeconds(2), await h.NextTimerAsync());
        h.Time.AdvanceToNextTimer();
        await h.WaitForStateAsync(FrameSourceState.Reconnecting);
        Assert.Equal(1, h.Supervisor.Status.Stalls);
        Assert.Equal(TimeSpan.FromSeconds(0.5), await h.NextTimerAsync());
        h.Camera.Mode = FakeReadMode.Frames;
        h.Time.AdvanceToNextTimer();
        await Within(read);
    }

    [Fact]
    public async Task Reads_that_keep_returning_no_frame_are_counted_and_trigger_a_reconnect()
    {
        using var h = new SupervisorHarness(new SupervisorOptions { JitterFraction = 0, MaxConsecutiveReadFailures = 3 });
        await Within(h.ReadAsync());
        h.Camera.Mode = FakeReadMode.NoFrame;

        var read = h.ReadAsync();
        await h.NextTimerAsync();

        var status = h.Supervisor.Status;
        Assert.Equal(FrameSourceState.Reconnecting, status.State);
        Assert.Equal(3, status.ReadFailures);
        Assert.Contains("3 reads in a row", status.LastError, StringComparison.Ordinal);
        Assert.Equal(0, h.Camera.LiveSources);
        h.Camera.Mode = FakeReadMode.Frames;
        h.Time.AdvanceToNextTimer();
        await Within(read);
        Assert.Equal(FrameSourceState.Streaming, h.Supervisor.Status.State);
    }

    [Fact]
    public async Task A_read_that_throws_counts_as_a_failure_with_its_message_kept_as_the_last_error()
    {
        using var h = new SupervisorHarness(new SupervisorOptions { JitterFraction = 0, MaxConsecutiveReadFailures = 1 });
        h.Camera.Mode = FakeReadMode.Throws;

        var read = h.ReadAsync();
        await h.NextTimerAsync();

        Assert.Equal("Read failed: fake camera: read error", h.Supervisor.Status.LastError);
        h.Camera.Mode = FakeReadMode.Frames;
        h.Time.AdvanceToNextTimer();
        await Within(read);
        Assert.Equal("Read failed: fake camera: read error", h.Supervisor.Status.LastError);
        Assert.NotNull(h.Supervisor.Status.LastErrorAt);
    }

    [Fact]
    public async Task A_permanent_error_fails_at_once_and_is_not_retried()
    {
        using var h = new SupervisorHarness();
        h.Camera.PermanentlyBroken = true;

        var first = await Assert.ThrowsAsync<FrameSourceException>(() => h.ReadAsync());
        var second = await Assert.ThrowsAsync<FrameSourceException>(() => h.ReadAsync());

        Assert.Same(first, second);
        Assert.Equal(FrameSourceState.Failed, h.Supervisor.Status.State);
        Assert.Equal("fake camera: backend missing", h.Supervisor.Status.LastError);
        Assert.Equal(1, h.Camera.OpenAttempts);
        Assert.Equal(0, h.Time.PendingTimerCount);
    }

    [Fact]
    public async Task Cancelling_a_waiting_read_returns_without_declaring_a_stall()
    {
        using var h = new SupervisorHarness();
        await Within(h.ReadAsync());
        h.Camera.Mode = FakeReadMode.Hangs;
        using var cts = new CancellationTokenSource();

        var read = h.ReadAsync(cts.Token);
        await h.NextTimerAsync();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Within(read));
        Assert.Equal(FrameSourceState.Streaming, h.Supervisor.Status.State);
        Assert.Equal(0, h.Supervisor.Status.Stalls);
        Assert.Equal(1, h.Camera.LiveSources);
    }

    [Fact]
    public async Task Only_one_reader_at_a_time_is_allowed()
    {
        using var h = new SupervisorHarness();
        await Within(h.ReadAsync());
        h.Camera.Mode = FakeReadMode.Hangs;
        using var cts = new CancellationTokenSource();
        var first = h.ReadAsync(cts.Token);

        await Assert.ThrowsAsync<InvalidOperationException>(() => h.ReadAsync());

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Within(first));
    }

    [Fact]
    public void Inconsistent_options_are_refused()
    {
        var options = new SupervisorOptions { InitialBackoff = TimeSpan.FromSeconds(5), MaxBackoff = TimeSpan.FromSeconds(1) };

        Assert.Throws<ArgumentException>(() => new SupervisorHarness(options));
    }
}
