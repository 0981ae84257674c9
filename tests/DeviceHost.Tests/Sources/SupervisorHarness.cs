using System.Runtime.Versioning;
using DeviceHost.Sources;
using EdgeRuntime.TestSupport.Time;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;

namespace DeviceHost.Tests.Sources;

/// <summary>A supervisor over a fake camera on a manual clock, recording every state it passes through.</summary>
[SupportedOSPlatform("linux")]
internal sealed class SupervisorHarness : IDisposable
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(20);
    private readonly Lock _gate = new();
    private readonly List<FrameSourceState> _states = [];

    public SupervisorHarness(SupervisorOptions? options = null, Func<IFrameSource>? factory = null, ManualTimeProvider? time = null)
    {
        Options = options ?? new SupervisorOptions { JitterFraction = 0 };
        Time = time ?? new ManualTimeProvider();
        Supervisor = new SupervisedFrameSource(
            factory ?? Camera.CreateSource, "rtsp://fake:secret@camera/1", Options, Time, NullLogger<SupervisedFrameSource>.Instance);
        Supervisor.StateChanged += (_, status) =>
        {
            lock (_gate)
            {
                _states.Add(status.State);
            }
        };
    }

    public ManualTimeProvider Time { get; }

    public FakeCamera Camera { get; } = new();

    public SupervisorOptions Options { get; }

    public SupervisedFrameSource Supervisor { get; }

    public Mat Frame { get; } = new();

    public IReadOnlyList<FrameSourceState> States
    {
        get
        {
            lock (_gate)
            {
                return [.. _states];
            }
        }
    }

    public Task ReadAsync(CancellationToken cancellationToken = default) => Supervisor.ReadAsync(Frame, cancellationToken).AsTask();

    /// <summary>Completes when the supervisor is in <paramref name="state"/> (now or later).</summary>
    public async Task WaitForStateAsync(FrameSourceState state)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChange(object? sender, FrameSourceStatus status)
        {
            if (status.State == state)
            {
                reached.TrySetResult();
            }
        }

        Supervisor.StateChanged += OnChange;
        try
        {
            if (Supervisor.Status.State == state)
            {
                return;
            }

            await reached.Task.WaitAsync(Guard);
        }
        finally
        {
            Supervisor.StateChanged -= OnChange;
        }
    }

    /// <summary>Waits until exactly one timer is pending (a backoff or stall wait) and returns how far ahead it is due.</summary>
    public async Task<TimeSpan> NextTimerAsync()
    {
        await Time.WaitForPendingTimersAsync(1).WaitAsync(Guard);
        var due = Time.PendingDueTimes;
        Assert.Single(due);
        return due[0];
    }

    public static Task<T> Within<T>(Task<T> task) => task.WaitAsync(Guard);

    public static Task Within(Task task) => task.WaitAsync(Guard);

    public void Dispose()
    {
        Supervisor.Dispose();
        Frame.Dispose();
    }
}
