using EdgeRuntime.Inference;

namespace DeviceHost.Pipeline;

/// <summary>
/// The head the frame loop classifies with, swapped atomically when a technician activates or rolls back.
/// Owns the current classifier; a replaced one is disposed once no frame is using it.
/// </summary>
public sealed class ActiveHead : IDisposable
{
    private readonly Lock _gate = new();
    private readonly ReaderWriterLockSlim _use = new();
    private HeadClassifier? _current;

    /// <summary>Raised after a swap, with the new classifier (or null when cleared).</summary>
    public event EventHandler<HeadClassifier?>? Changed;

    public HeadClassifier? Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    /// <summary>Runs <paramref name="action"/> with the current head, guaranteeing it is not disposed meanwhile.</summary>
    public T Use<T>(Func<HeadClassifier?, T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        _use.EnterReadLock();
        try
        {
            return action(Current);
        }
        finally
        {
            _use.ExitReadLock();
        }
    }

    /// <summary>Installs <paramref name="next"/> (ownership passes to this holder) and disposes the previous head.</summary>
    public void Replace(HeadClassifier? next)
    {
        HeadClassifier? previous;
        lock (_gate)
        {
            previous = _current;
            _current = next;
        }

        Changed?.Invoke(this, next);
        if (previous is not null && !ReferenceEquals(previous, next))
        {
            _use.EnterWriteLock();
            try
            {
                previous.Dispose();
            }
            finally
            {
                _use.ExitWriteLock();
            }
        }
    }

    public void Dispose()
    {
        Replace(null);
        _use.Dispose();
    }
}
