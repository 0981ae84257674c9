using System.Text.Json;
using EdgeRuntime.Storage;

namespace EdgeRuntime.Fleet;

/// <summary>
/// What this device accepted from the fleet, in &lt;data&gt;/fleet/bundles.json (replaced atomically): the highest
/// sequence per signing key (replay protection survives restarts) and the outcome of recent bundle ids (a
/// redelivered bundle is answered with its first outcome, never applied twice). Thread-safe.
/// </summary>
public sealed class BundleLedger
{
    private const int KeepOutcomes = 200;
    private readonly string _path;
    private readonly IFileSystem _fileSystem;
    private readonly Lock _gate = new();
    private LedgerFile _state;

    public BundleLedger(string dataDirectory, IFileSystem? fileSystem = null)
    {
        var directory = Path.Combine(dataDirectory, "fleet");
        Directory.CreateDirectory(directory);
        _path = Path.Combine(directory, "bundles.json");
        _fileSystem = fileSystem ?? DiskFileSystem.Instance;
        _state = Read(_path);
    }

    /// <summary>The highest sequence accepted under <paramref name="keyId"/>; 0 when none.</summary>
    public long LastSequence(string keyId)
    {
        lock (_gate)
        {
            return _state.LastSequence.GetValueOrDefault(keyId);
        }
    }

    /// <summary>The recorded outcome of <paramref name="bundleId"/>, if this device decided on it before.</summary>
    public BundleOutcome? Find(string bundleId)
    {
        lock (_gate)
        {
            return _state.Outcomes.LastOrDefault(o => string.Equals(o.BundleId, bundleId, StringComparison.Ordinal));
        }
    }

    /// <summary>The most recently accepted bundle's outcome; null when none was.</summary>
    public BundleOutcome? Latest
    {
        get
        {
            lock (_gate)
            {
                return _state.Outcomes.LastOrDefault();
            }
        }
    }

    /// <summary>Records an accepted bundle: its outcome and, durably, its sequence as the key's new high-water mark.</summary>
    public void RecordAccepted(string keyId, BundleOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        lock (_gate)
        {
            var last = new Dictionary<string, long>(_state.LastSequence, StringComparer.Ordinal);
            last[keyId] = Math.Max(last.GetValueOrDefault(keyId), outcome.Sequence);
            var outcomes = _state.Outcomes.Append(outcome).TakeLast(KeepOutcomes).ToList();
            var next = new LedgerFile { LastSequence = last, Outcomes = outcomes };
            AtomicFile.Replace(_fileSystem, _path, JsonSerializer.SerializeToUtf8Bytes(next, HeadBundle.Json));
            _state = next;
        }
    }

    private static LedgerFile Read(string path)
    {
        if (!File.Exists(path))
        {
            return new LedgerFile();
        }

        try
        {
            return JsonSerializer.Deserialize<LedgerFile>(File.ReadAllBytes(path), HeadBundle.Json) ?? new LedgerFile();
        }
        catch (JsonException ex)
        {
            // Starting with an empty ledger would reopen the door to replays: refuse to start instead.
            throw new EdgeRuntimeException($"The fleet ledger '{path}' is not valid JSON ({ex.Message}); fix or remove it (removing it forgets which bundles were applied).", ex);
        }
    }

    private sealed record LedgerFile
    {
        public Dictionary<string, long> LastSequence { get; init; } = new(StringComparer.Ordinal);

        public List<BundleOutcome> Outcomes { get; init; } = [];
    }
}
