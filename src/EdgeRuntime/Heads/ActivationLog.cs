using EdgeRuntime.Storage;
using System.Text.Json;
using EdgeRuntime.Evaluation;
using Microsoft.Extensions.Logging;

namespace EdgeRuntime.Heads;

/// <summary>
/// The active head and the activation history. A switch appends to history.json (atomic rewrite), then replaces
/// active.json (atomic rename), which is the commit point: history entries after the sequence active.json names are
/// the remains of an interrupted switch and are ignored.
/// </summary>
internal sealed class ActivationLog
{
    public const string HistoryFile = "history.json";
    public const string ActiveFile = "active.json";

    /// <summary>
    /// Entries kept in history.json: every switch rewrites it, so it must not grow with the device's age. Far more than
    /// rollback ever reaches back (pruning keeps about ten versions).
    /// </summary>
    public const int MaxEntries = 256;

    private readonly string _directory;
    private readonly IFileSystem _fileSystem;
    private List<ActivationRecord> _entries;

    private ActivationLog(string directory, IFileSystem fileSystem, List<ActivationRecord> entries, int? active)
    {
        _directory = directory;
        _fileSystem = fileSystem;
        _entries = entries;
        ActiveVersion = active;
    }

    public int? ActiveVersion { get; private set; }

    public IReadOnlyList<ActivationRecord> Entries => _entries;

    public static ActivationLog Open(string directory, IFileSystem fileSystem, ILogger logger)
    {
        var entries = ReadOrDefault<List<ActivationRecord>>(Path.Combine(directory, HistoryFile), logger) ?? [];
        string activePath = Path.Combine(directory, ActiveFile);
        if (!File.Exists(activePath))
        {
            if (entries.Count > 0)
            {
                logger.LogWarning("Ignoring {Count} activation history entries: {File} was never written, so no switch completed", entries.Count, activePath);
            }

            return new ActivationLog(directory, fileSystem, [], null);
        }

        var pointer = ReadOrDefault<ActivePointer>(activePath, logger);
        if (pointer is null)
        {
            // active.json is only ever replaced by rename, so this is outside damage: trust the history rather than stop.
            int? last = entries.Count > 0 ? entries[^1].Version : null;
            logger.LogError("Active head pointer {File} is unreadable; using the last history entry {Version}", activePath, last);
            return new ActivationLog(directory, fileSystem, entries, last);
        }

        int uncommitted = entries.RemoveAll(e => e.Sequence > pointer.Sequence);
        if (uncommitted > 0)
        {
            logger.LogWarning("Ignoring {Count} activation history entries from an interrupted switch; v{Version} stays active", uncommitted, pointer.Version);
        }

        return new ActivationLog(directory, fileSystem, entries, pointer.Version);
    }

    /// <summary>Versions in activation order with rolled-back ones removed: the last is active, the ones before are rollback candidates.</summary>
    public IReadOnlyList<int> Stack()
    {
        var stack = new List<int>();
        foreach (var entry in _entries)
        {
            if (entry.Kind == ActivationKind.Rollback)
            {
                while (stack.Count > 0 && stack[^1] != entry.Version)
                {
                    stack.RemoveAt(stack.Count - 1);
                }
            }

            if (stack.Count == 0 || stack[^1] != entry.Version)
            {
                stack.Add(entry.Version);
            }
        }

        if (ActiveVersion is int active && (stack.Count == 0 || stack[^1] != active))
        {
            stack.Add(active);
        }

        return stack;
    }

    /// <summary>Records the switch durably; on failure nothing changes, in memory or in effect.</summary>
    public ActivationRecord Commit(int version, ActivationKind kind, string reason, bool forced, DateTimeOffset now)
    {
        var record = new ActivationRecord
        {
            Sequence = _entries.Count > 0 ? _entries[^1].Sequence + 1 : 1,
            Version = version,
            Kind = kind,
            PreviousVersion = ActiveVersion,
            TimestampUtc = now,
            Reason = reason,
            Forced = forced,
        };
        List<ActivationRecord> next = [.. _entries.Skip(Math.Max(0, _entries.Count + 1 - MaxEntries)), record];
        AtomicFile.Replace(_fileSystem, Path.Combine(_directory, HistoryFile), JsonSerializer.SerializeToUtf8Bytes(next, EvaluationJson.Options));
        var pointer = new ActivePointer(version, record.Sequence, now);
        AtomicFile.Replace(_fileSystem, Path.Combine(_directory, ActiveFile), JsonSerializer.SerializeToUtf8Bytes(pointer, EvaluationJson.Options));
        _entries = next;
        ActiveVersion = version;
        return record;
    }

    private static T? ReadOrDefault<T>(string path, ILogger logger)
        where T : class
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<T>(File.ReadAllBytes(path), EvaluationJson.Options) : null;
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            logger.LogError(ex, "Cannot read {File}: {Reason}", path, ex.Message);
            return null;
        }
    }
}
