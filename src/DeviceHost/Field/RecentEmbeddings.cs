namespace DeviceHost.Field;

/// <summary>A ring of the newest frame embeddings with their capture times: the unlabelled frames of <c>POST /adapt</c>. Thread-safe.</summary>
internal sealed class RecentEmbeddings(int capacity)
{
    private readonly Lock _gate = new();
    private readonly List<(float[] Embedding, DateTimeOffset At)> _ring = [];
    private int _next;

    public void Add(ReadOnlySpan<float> embedding, DateTimeOffset at)
    {
        lock (_gate)
        {
            if (_ring.Count < capacity)
            {
                _ring.Add((embedding.ToArray(), at));
                return;
            }

            var slot = _ring[_next];
            embedding.CopyTo(slot.Embedding);
            _ring[_next] = (slot.Embedding, at);
            _next = (_next + 1) % capacity;
        }
    }

    /// <summary>
    /// The newest <paramref name="count"/> embeddings, the number of distinct ones among them (a frozen source repeats
    /// one frame) and the age of the newest (a stalled source stops adding).
    /// </summary>
    public (float[] Embeddings, int Distinct, TimeSpan? NewestAge) Take(int count, DateTimeOffset now)
    {
        lock (_gate)
        {
            var ordered = _ring.Skip(_next).Concat(_ring.Take(_next)).TakeLast(Math.Max(count, 0)).ToList();
            if (ordered.Count == 0)
            {
                return ([], 0, null);
            }

            int distinct = ordered.Select(e => HashCode.Combine(e.Embedding[0], e.Embedding[^1], e.Embedding[e.Embedding.Length / 2])).Distinct().Count();
            return ([.. ordered.SelectMany(e => e.Embedding)], distinct, now - ordered[^1].At);
        }
    }
}
