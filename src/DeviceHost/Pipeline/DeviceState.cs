namespace DeviceHost.Pipeline;

/// <summary>
/// Process-wide facts for /status: start time and problems an operator should see (a head that was refused). The rest of
/// the document comes from the services that own the facts (see <c>Api.StatusReport</c>).
/// </summary>
public sealed class DeviceState(TimeProvider time)
{
    private readonly List<string> _errors = [];
    private readonly Lock _gate = new();

    public long StartedTimestamp { get; } = time.GetTimestamp();

    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_gate)
            {
                return [.. _errors];
            }
        }
    }

    public void ReportError(string message)
    {
        lock (_gate)
        {
            if (!_errors.Contains(message))
            {
                _errors.Add(message);
            }
        }
    }

    public void ClearError(string message)
    {
        lock (_gate)
        {
            _errors.Remove(message);
        }
    }
}
