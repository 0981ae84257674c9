namespace DeviceHost.Cli;

/// <summary>Reports progress on the caller's thread (Progress&lt;T&gt; would post late, after the bar closed).</summary>
public sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
