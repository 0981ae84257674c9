using System.Globalization;
using System.Text.Json;
using EdgeRuntime.Evaluation;
using EdgeRuntime.Storage;

namespace EdgeRuntime.Review;

/// <summary>
/// Live frames worth a technician's label: novel, low-margin, or a class flip from the previous frame. Kept under
/// <c>review/</c> as <c>&lt;id&gt;.jpg</c> plus <c>&lt;id&gt;.json</c> (listing and embedding; written last, so an item
/// exists once its JSON does). A rate cap per minute, near-duplicate suppression by embedding cosine distance and a
/// bound on the number kept hold the disk use. Thread-safe.
/// </summary>
public sealed class HardSampleQueue
{
    private const string Folder = "review";
    private readonly string _directory;
    private readonly ReviewOptions _options;
    private readonly TimeProvider _time;
    private readonly IFileSystem _fileSystem = new DiskFileSystem();
    private readonly Lock _gate = new();
    private readonly List<(ReviewItem Item, float[] Unit)> _items = [];
    private readonly Queue<DateTimeOffset> _recent = new();
    private string? _previousBest;
    private long _offered, _added, _rateLimited, _duplicates, _evicted;

    public HardSampleQueue(string dataDirectory, ReviewOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { } problem)
        {
            throw new EdgeRuntimeException(problem);
        }

        (_options, _time) = (options, time);
        _directory = Path.Combine(dataDirectory, Folder);
        Directory.CreateDirectory(_directory);
        Load();
    }

    /// <summary>The reasons a frame would be kept, updating the previous-frame class used for flips.</summary>
    public IReadOnlyList<ReviewReason> Reasons(in ReviewCandidate candidate)
    {
        var reasons = new List<ReviewReason>(3);
        lock (_gate)
        {
            if (candidate.Unknown)
            {
                reasons.Add(ReviewReason.Novel);
            }

            if (candidate.Best is not null && candidate.Margin < _options.LowMargin)
            {
                reasons.Add(ReviewReason.LowMargin);
            }

            if (candidate.Best is not null && _previousBest is not null && !string.Equals(candidate.Best, _previousBest, StringComparison.Ordinal))
            {
                reasons.Add(ReviewReason.Flip);
            }

            _previousBest = candidate.Best;
        }

        return reasons;
    }

    /// <summary>
    /// Offers a frame: kept when it has a reason, the rate cap allows and no queued frame is a near-duplicate.
    /// <paramref name="jpeg"/> is only called for a kept frame (encoding is the costly part).
    /// </summary>
    /// <returns>The new item, or null when the frame was not kept.</returns>
    public ReviewItem? Offer(in ReviewCandidate candidate, ReadOnlySpan<float> embedding, Func<byte[]> jpeg)
    {
        ArgumentNullException.ThrowIfNull(jpeg);
        if (!_options.Enabled)
        {
            return null;
        }

        var reasons = Reasons(candidate);
        if (reasons.Count == 0)
        {
            return null;
        }

        var unit = Unit(embedding);
        lock (_gate)
        {
            _offered++;
            var now = _time.GetUtcNow();
            while (_recent.Count > 0 && now - _recent.Peek() >= TimeSpan.FromMinutes(1))
            {
                _recent.Dequeue();
            }

            if (_recent.Count >= _options.MaxPerMinute)
            {
                _rateLimited++;
                return null;
            }

            if (_items.Any(i => 1 - Dot(i.Unit, unit) < _options.DuplicateDistance))
            {
                _duplicates++;
                return null;
            }

            var item = new ReviewItem(NewId(now), candidate.CapturedUtc, reasons, candidate.Best, candidate.Confidence, candidate.Novelty, candidate.HeadVersion);
            AtomicFile.Replace(_fileSystem, ImagePath(item.Id), jpeg());
            AtomicFile.Replace(_fileSystem, JsonPath(item.Id), JsonSerializer.SerializeToUtf8Bytes(new Stored(item, embedding.ToArray()), EvaluationJson.Options));
            _items.Add((item, unit));
            _recent.Enqueue(now);
            _added++;
            while (_items.Count > _options.MaxItems)
            {
                Delete(_items[0].Item.Id);
                _items.RemoveAt(0);
                _evicted++;
            }

            return item;
        }
    }

    /// <summary>Queued items, oldest first.</summary>
    public IReadOnlyList<ReviewItem> List()
    {
        lock (_gate)
        {
            return [.. _items.Select(i => i.Item)];
        }
    }

    public ReviewStatistics Statistics()
    {
        lock (_gate)
        {
            return new ReviewStatistics(_items.Count, _offered, _added, _rateLimited, _duplicates, _evicted);
        }
    }

    /// <summary>The JPEG of a queued item; null when there is no such item.</summary>
    public byte[]? Image(string id)
    {
        lock (_gate)
        {
            return _items.Any(i => i.Item.Id == id) ? File.ReadAllBytes(ImagePath(id)) : null;
        }
    }

    /// <summary>
    /// Hands each chosen item to <paramref name="add"/> (which stores it as a sample) and removes it from the queue once
    /// <paramref name="add"/> returned; an item whose <paramref name="add"/> throws stays queued and the error propagates.
    /// </summary>
    /// <exception cref="ReviewItemNotFoundException">Some id is not queued; nothing was assigned.</exception>
    public int Assign(IReadOnlyCollection<string> ids, Action<ReviewedSample> add)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(add);
        lock (_gate)
        {
            var missing = ids.Where(id => !_items.Any(i => i.Item.Id == id)).ToList();
            if (missing.Count > 0)
            {
                throw new ReviewItemNotFoundException(missing);
            }

            int done = 0;
            foreach (var id in ids.Distinct(StringComparer.Ordinal))
            {
                var stored = JsonSerializer.Deserialize<Stored>(File.ReadAllBytes(JsonPath(id)), EvaluationJson.Options)!;
                add(new ReviewedSample(stored.Item, File.ReadAllBytes(ImagePath(id)), stored.Embedding));
                Remove(id);
                done++;
            }

            return done;
        }
    }

    /// <summary>Discards the chosen items.</summary>
    /// <exception cref="ReviewItemNotFoundException">Some id is not queued; nothing was discarded.</exception>
    public int Discard(IReadOnlyCollection<string> ids) => Assign(ids, _ => { });

    private void Remove(string id)
    {
        Delete(id);
        _items.RemoveAll(i => i.Item.Id == id);
    }

    private void Delete(string id)
    {
        // JSON first: without it the item no longer exists, and a leftover JPEG is cleaned at the next start.
        AtomicFile.TryDelete(JsonPath(id));
        AtomicFile.TryDelete(ImagePath(id));
    }

    private void Load()
    {
        foreach (var json in Directory.EnumerateFiles(_directory, "*.json").Order(StringComparer.Ordinal))
        {
            try
            {
                var stored = JsonSerializer.Deserialize<Stored>(File.ReadAllBytes(json), EvaluationJson.Options);
                if (stored is not null && File.Exists(ImagePath(stored.Item.Id)))
                {
                    _items.Add((stored.Item, Unit(stored.Embedding)));
                    continue;
                }
            }
            catch (JsonException)
            {
            }

            AtomicFile.TryDelete(json);
        }

        var known = _items.Select(i => i.Item.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(_directory).Where(f => !known.Contains(Path.GetFileNameWithoutExtension(f))))
        {
            AtomicFile.TryDelete(file);
        }
    }

    private string NewId(DateTimeOffset now)
    {
        var id = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff", CultureInfo.InvariantCulture) + "-" + _added.ToString("D6", CultureInfo.InvariantCulture);
        return _items.Any(i => i.Item.Id == id) ? id + "-" + Guid.NewGuid().ToString("N")[..6] : id;
    }

    private string ImagePath(string id) => Path.Combine(_directory, SafeId(id) + ".jpg");

    private string JsonPath(string id) => Path.Combine(_directory, SafeId(id) + ".json");

    private static string SafeId(string id) =>
        id.Length > 0 && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') ? id : throw new ReviewItemNotFoundException([id]);

    private static float[] Unit(ReadOnlySpan<float> embedding)
    {
        double norm = 0;
        foreach (var v in embedding)
        {
            norm += (double)v * v;
        }

        float inverse = norm > 0 ? (float)(1 / Math.Sqrt(norm)) : 0;
        var unit = new float[embedding.Length];
        for (int i = 0; i < unit.Length; i++)
        {
            unit[i] = embedding[i] * inverse;
        }

        return unit;
    }

    private static float Dot(float[] a, float[] b) => Novelty.VectorMath.Dot(a, b);

    private sealed record Stored(ReviewItem Item, float[] Embedding);
}
