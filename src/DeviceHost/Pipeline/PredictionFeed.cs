using EdgeRuntime.Inference;

namespace DeviceHost.Pipeline;

/// <summary>The latest prediction and a bounded history, newest first. Thread-safe.</summary>
public sealed class PredictionFeed(int capacity)
{
    private readonly Prediction[] _ring = new Prediction[Math.Max(1, capacity)];
    private readonly Lock _gate = new();
    private int _next;
    private int _count;

    public Prediction? Latest
    {
        get
        {
            lock (_gate)
            {
                return _count == 0 ? null : _ring[(_next - 1 + _ring.Length) % _ring.Length];
            }
        }
    }

    public void Publish(Prediction prediction)
    {
        lock (_gate)
        {
            _ring[_next] = prediction;
            _next = (_next + 1) % _ring.Length;
            _count = Math.Min(_count + 1, _ring.Length);
        }
    }

    public IReadOnlyList<Prediction> Recent(int limit)
    {
        lock (_gate)
        {
            int n = Math.Min(Math.Max(limit, 0), _count);
            var result = new Prediction[n];
            for (int i = 0; i < n; i++)
            {
                result[i] = _ring[(_next - 1 - i + (2 * _ring.Length)) % _ring.Length];
            }

            return result;
        }
    }
}
