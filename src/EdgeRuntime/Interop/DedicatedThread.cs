using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace EdgeRuntime.Interop;

/// <summary>
/// One thread, at a chosen nice value, that runs the calls queued to it in order: a capture's blocking native calls
/// (open, read, decode) below the inference loop's priority, quantization below capture, or, at nice 0, work a lowered
/// thread must hand to the service's own priority (activating a head whose session threads serve live inference).
/// Started by the constructor, so its priority comes from the thread that creates it.
/// <para>
/// Why capture is lowered: on a 2-core device the backbone's two intra-op threads use both cores for a whole frame;
/// decoding the next frame at the same priority takes a core from one of them, and the operator then waits for its
/// slower half. A lowered capture thread decodes in what the backbone leaves and still runs above training and
/// quantization (nice 10). Threads a native library starts from this thread (FFmpeg's decoders) inherit its priority.
/// </para>
/// <para>
/// Linux threads inherit their creator's nice value, and .NET starts thread-pool workers on whichever thread queues
/// work: were this thread to complete a task, a worker created for the continuation would run the rest of the service
/// at this thread's nice value for good. So it never touches the thread pool: the caller waits on an event this thread
/// sets (a pool thread for <see cref="RunAsync{T}"/>, which is therefore for callers at normal priority; a lowered
/// caller uses <see cref="Invoke{T}"/>).
/// </para>
/// <para>
/// Owned by its creator. <see cref="Dispose"/> lets the thread end after the call it is running: a native read may be
/// blocked and cannot be interrupted, so the thread is a background thread and never joined.
/// </para>
/// </summary>
public sealed class DedicatedThread : IDisposable
{
    private readonly BlockingCollection<Call> _calls = new();
    private readonly Thread _thread;
    private readonly Lock _gate = new();
    private readonly int _nice;
    private bool _disposed;

    /// <param name="name">The thread's name (seen in /proc and debuggers).</param>
    /// <param name="nice">The thread's Linux nice value; 0 leaves it at the creating thread's priority.</param>
    public DedicatedThread(string name, int nice)
    {
        _nice = nice;
        _thread = new Thread(Loop) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Runs <paramref name="call"/> on this thread while a thread-pool thread waits for it.</summary>
    /// <exception cref="ObjectDisposedException">The thread was disposed.</exception>
    public Task<T> RunAsync<T>(Func<T> call)
    {
        var queued = Enqueue(call);
        return Task.Run(queued.Wait);
    }

    /// <summary>Runs <paramref name="call"/> on this thread and waits for it here.</summary>
    /// <exception cref="ObjectDisposedException">The thread was disposed.</exception>
    public T Invoke<T>(Func<T> call) => Enqueue(call).Wait();

    /// <summary>Runs <paramref name="call"/> on this thread and waits for it here.</summary>
    /// <exception cref="ObjectDisposedException">The thread was disposed.</exception>
    public void Invoke(Action call)
    {
        ArgumentNullException.ThrowIfNull(call);
        Invoke<object?>(() =>
        {
            call();
            return null;
        });
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;

            // The thread disposes the queue once it has drained it.
            _calls.CompleteAdding();
        }
    }

    private Call<T> Enqueue<T>(Func<T> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var queued = new Call<T>(call);
        lock (_gate)
        {
            if (_disposed)
            {
                throw new ObjectDisposedException(_thread.Name);
            }

            _calls.Add(queued);
        }

        return queued;
    }

    private void Loop()
    {
        // Refused (e.g. by a seccomp policy) means the calls run at normal priority: slower inference, nothing lost.
        if (_nice > 0)
        {
            LinuxThreadPriority.TryLowerCurrentThread(_nice);
        }

        foreach (var call in _calls.GetConsumingEnumerable())
        {
            call.Execute();
        }

        _calls.Dispose();
    }

    private abstract class Call
    {
        public abstract void Execute();
    }

    private sealed class Call<T>(Func<T> call) : Call
    {
        private readonly ManualResetEventSlim _done = new();
        private T? _result;
        private ExceptionDispatchInfo? _error;

        public override void Execute()
        {
            try
            {
                _result = call();
            }
            catch (Exception ex)
            {
                _error = ExceptionDispatchInfo.Capture(ex);
            }

            _done.Set();
        }

        public T Wait()
        {
            _done.Wait();
            _done.Dispose();
            _error?.Throw();
            return _result!;
        }
    }
}
