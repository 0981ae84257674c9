namespace DeviceHost.Tests.Benchmarks;

/// <summary>
/// Lets a benchmark stop a running pipeline's capture between reads without touching the service: while closed, every
/// read waits at the gate, so the backbone can be measured alone in the same process a moment later.
/// </summary>
internal sealed class FrameGate
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _open = NewOpen();
    private int _waiting;

    public FrameGate()
    {
        _open.SetResult();
    }

    /// <summary>True while a reader waits at the closed gate (so no frame is being read or handed over).</summary>
    public bool ReaderWaiting => Volatile.Read(ref _waiting) > 0;

    public void Open()
    {
        lock (_lock)
        {
            _open.TrySetResult();
        }
    }

    public void Close()
    {
        lock (_lock)
        {
            if (_open.Task.IsCompleted)
            {
                _open = NewOpen();
            }
        }
    }

    public async ValueTask PassAsync(CancellationToken cancellationToken)
    {
        Task open;
        lock (_lock)
        {
            open = _open.Task;
        }

        if (open.IsCompleted)
        {
            return;
        }

        Interlocked.Increment(ref _waiting);
        try
        {
            await open.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    private static TaskCompletionSource NewOpen() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
