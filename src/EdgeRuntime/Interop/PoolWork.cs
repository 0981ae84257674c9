namespace EdgeRuntime.Interop;

/// <summary>
/// Hands work to the thread pool, except from a thread <see cref="LinuxThreadPriority"/> lowered (training,
/// quantization, capture), where it runs on the calling thread. Linux threads inherit their creator's nice value and
/// .NET creates pool workers on the thread that queues work: pool work queued from a lowered thread can create workers
/// that keep its nice value and later run inference and HTTP requests below training, while the work itself runs on
/// the existing workers at normal priority, above where it was meant to run.
/// </summary>
public static class PoolWork
{
    /// <summary><see cref="Parallel.For(int, int, Action{int})"/>, or a plain loop on a lowered thread.</summary>
    public static void For(int fromInclusive, int toExclusive, Action<int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (!LinuxThreadPriority.IsCurrentThreadLowered)
        {
            Parallel.For(fromInclusive, toExclusive, body);
            return;
        }

        for (var i = fromInclusive; i < toExclusive; i++)
        {
            body(i);
        }
    }

    /// <summary><see cref="Task.Run{TResult}(Func{TResult})"/>, or the work done now on a lowered thread (its exception in the task).</summary>
    public static Task<T> Run<T>(Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (!LinuxThreadPriority.IsCurrentThreadLowered)
        {
            return Task.Run(work, CancellationToken.None);
        }

        try
        {
            return Task.FromResult(work());
        }
        catch (Exception ex)
        {
            return Task.FromException<T>(ex);
        }
    }
}
