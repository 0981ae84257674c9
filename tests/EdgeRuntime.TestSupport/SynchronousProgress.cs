namespace EdgeRuntime.TestSupport;

/// <summary>An <see cref="IProgress{T}"/> that records and calls back on the reporting thread (Progress&lt;T&gt; posts asynchronously).</summary>
public sealed class SynchronousProgress<T> : IProgress<T>
{
    private readonly Action<T>? _onReport;

    public SynchronousProgress(Action<T>? onReport = null)
    {
        _onReport = onReport;
    }

    public List<T> Reports { get; } = [];

    public void Report(T value)
    {
        Reports.Add(value);
        _onReport?.Invoke(value);
    }
}
