using EdgeRuntime.Storage;
using System.Globalization;
using System.Text.Json;
using EdgeRuntime.Evaluation;
using Microsoft.Extensions.Logging;

namespace EdgeRuntime.Heads;

/// <summary>
/// Versioned head store under <c>&lt;data&gt;/heads/</c>: one directory per version (<c>v0007/</c> with head.onnx,
/// checkpoint.bin, manifest.json), the active version in <c>active.json</c>, activations in <c>history.json</c>.
/// Every write is temp + fsync + rename, so a crash or full disk leaves the previous state intact. One instance owns
/// the directory (an exclusive lock on <c>heads/.lock</c>) for its lifetime; members are thread-safe.
/// </summary>
public sealed class HeadRegistry : IDisposable
{
    /// <summary>Versions <see cref="Prune"/> keeps by default.</summary>
    public const int DefaultKeepLast = 10;

    private const string LockFile = ".lock";

    private readonly Lock _sync = new();
    private readonly ILogger<HeadRegistry> _logger;
    private readonly TimeProvider _time;
    private readonly IFileSystem _fileSystem;
    private readonly Dictionary<int, HeadManifest> _manifests = [];
    private readonly FileStream _lock; // Owned: held open so a second process cannot write the same registry.
    private readonly ActivationLog _log;
    private readonly HeadDirectory _directory;

    /// <summary>Opens (creating if needed) the registry in <paramref name="dataDirectory"/>/heads and removes leftovers of interrupted writes.</summary>
    public HeadRegistry(string dataDirectory, ILogger<HeadRegistry> logger, TimeProvider? timeProvider = null, IFileSystem? fileSystem = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _time = timeProvider ?? TimeProvider.System;
        _fileSystem = fileSystem ?? DiskFileSystem.Instance;
        HeadsDirectory = Path.GetFullPath(Path.Combine(dataDirectory, "heads"));
        try
        {
            Directory.CreateDirectory(HeadsDirectory);
            _lock = new FileStream(Path.Combine(HeadsDirectory, LockFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new EdgeRuntimeException($"Cannot open the head registry '{HeadsDirectory}' (is another edgeruntime process using it?): {ex.Message}", ex);
        }

        _directory = new HeadDirectory(HeadsDirectory, _fileSystem, _logger);
        _directory.RemoveLeftovers();
        _log = ActivationLog.Open(HeadsDirectory, _fileSystem, _logger);
    }

    /// <summary>Full path of the <c>heads</c> directory.</summary>
    public string HeadsDirectory { get; }

    /// <summary>The active version; null when none was ever activated.</summary>
    public int? ActiveVersion
    {
        get
        {
            lock (_sync)
            {
                return _log.ActiveVersion;
            }
        }
    }

    /// <summary>The version <see cref="Rollback"/> would restore; null when there is none.</summary>
    public int? RollbackTarget
    {
        get
        {
            lock (_sync)
            {
                return FindRollbackTarget();
            }
        }
    }

    /// <summary>Committed activations, oldest first.</summary>
    public IReadOnlyList<ActivationRecord> History
    {
        get
        {
            lock (_sync)
            {
                return [.. _log.Entries];
            }
        }
    }

    /// <summary>Stores a new version (not activated: call <see cref="Activate"/> when the gate says so).</summary>
    /// <exception cref="EdgeRuntimeException">Bad payload, or the write failed (e.g. disk full); nothing is stored then.</exception>
    public HeadVersion Add(HeadPayload payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        payload.Validate();
        lock (_sync)
        {
            int version = VersionNumbers().Concat(_log.Entries.Select(e => e.Version)).DefaultIfEmpty(0).Max() + 1;
            string target = VersionDirectory(version);
            string temp = Path.Combine(HeadsDirectory, AtomicFile.TempMarker + "add-" + Guid.NewGuid().ToString("N"));
            var manifest = HeadManifest.Create(version, _time.GetUtcNow(), payload);
            try
            {
                Directory.CreateDirectory(temp);
                AtomicFile.WriteNew(_fileSystem, Path.Combine(temp, HeadFiles.HeadOnnx), payload.HeadOnnx.Span);
                AtomicFile.WriteNew(_fileSystem, Path.Combine(temp, HeadFiles.Checkpoint), payload.Checkpoint.Span);
                AtomicFile.WriteNew(_fileSystem, Path.Combine(temp, HeadFiles.Manifest), JsonSerializer.SerializeToUtf8Bytes(manifest, EvaluationJson.Options));
                _fileSystem.SyncDirectory(temp);
                Directory.Move(temp, target);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _directory.Delete(temp);
                throw new EdgeRuntimeException($"Could not store head {HeadVersion.FormatName(version)} in '{HeadsDirectory}': {ex.Message}. Nothing was stored; the active head is unchanged.", ex);
            }

            _directory.SyncQuietly();
            _logger.LogInformation("Stored head {Version} ({Labels}) in {Directory}", manifest.Name, string.Join(", ", manifest.Labels), target);
            return new HeadVersion(version, target, manifest);
        }
    }

    /// <summary>
    /// Stored versions with a readable manifest, oldest first; unreadable ones are logged and left out. A version's
    /// manifest never changes once stored, so each is read from disk once (unauthenticated GET /heads and /status
    /// call this often) and the registry lock is held only for the directory listing, never for file reads.
    /// </summary>
    public IReadOnlyList<HeadVersion> List()
    {
        List<int> numbers;
        lock (_sync)
        {
            numbers = VersionNumbers();
        }

        var versions = new List<HeadVersion>(numbers.Count);
        foreach (int v in numbers)
        {
            if (CachedManifest(v) is { } manifest)
            {
                versions.Add(new HeadVersion(v, VersionDirectory(v), manifest));
            }
        }

        lock (_manifests)
        {
            foreach (var gone in _manifests.Keys.Except(numbers).ToList())
            {
                _manifests.Remove(gone);
            }
        }

        return versions;
    }

    /// <summary>True when <paramref name="version"/> is stored (its directory exists); reads nothing.</summary>
    public bool Contains(int version) => Directory.Exists(VersionDirectory(version));

    private HeadManifest? CachedManifest(int version)
    {
        lock (_manifests)
        {
            if (_manifests.TryGetValue(version, out var cached))
            {
                return cached;
            }
        }

        try
        {
            var manifest = HeadFiles.ReadManifest(version, VersionDirectory(version));
            lock (_manifests)
            {
                _manifests[version] = manifest;
            }

            return manifest;
        }
        catch (CorruptHeadException ex)
        {
            _logger.LogWarning("Listing skips head v{Version}: {Path}: {Reason}", version, ex.Path, ex.Reason);
            return null;
        }
    }

    /// <summary>One version's manifest (files not verified).</summary>
    /// <exception cref="EdgeRuntimeException">No such version; <see cref="CorruptHeadException"/> when its manifest is unreadable.</exception>
    public HeadVersion Get(int version)
    {
        lock (_sync)
        {
            RequireExists(version);
            return new HeadVersion(version, VersionDirectory(version), HeadFiles.ReadManifest(version, VersionDirectory(version)));
        }
    }

    /// <summary>Reads a version and verifies every file against its manifest.</summary>
    /// <exception cref="CorruptHeadException">A file is missing, truncated or altered, naming its path and why.</exception>
    public LoadedHead Load(int version)
    {
        lock (_sync)
        {
            RequireExists(version);
            return HeadFiles.Load(version, VersionDirectory(version));
        }
    }

    /// <summary>Makes <paramref name="version"/> the active head after verifying it; a no-op when it already is.</summary>
    /// <exception cref="EdgeRuntimeException">No such version, corrupt version, or the switch could not be written (the previous head stays active).</exception>
    public ActivationRecord Activate(int version, string reason, bool forced = false)
    {
        ArgumentNullException.ThrowIfNull(reason);
        lock (_sync)
        {
            RequireExists(version);
            HeadFiles.Load(version, VersionDirectory(version));
            if (_log.ActiveVersion == version && _log.Entries.Count > 0)
            {
                return _log.Entries[^1];
            }

            return Commit(version, ActivationKind.Activate, reason, forced);
        }
    }

    /// <summary>
    /// Activates <paramref name="version"/> only if <paramref name="expectedActive"/> is still the active version, checked
    /// and committed under the registry lock: a training job that ran for minutes must not override an activation a
    /// technician made meanwhile. Null when the active version changed (nothing is committed then).
    /// </summary>
    public ActivationRecord? ActivateIfStillActive(int version, int? expectedActive, string reason, bool forced = false)
    {
        lock (_sync)
        {
            return _log.ActiveVersion == expectedActive ? Activate(version, reason, forced) : null;
        }
    }

    /// <summary>Re-activates the version that was active before the current one.</summary>
    /// <exception cref="EdgeRuntimeException">There is none, it is corrupt, or the switch could not be written.</exception>
    public ActivationRecord Rollback(string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        lock (_sync)
        {
            int target = FindRollbackTarget() ?? throw new EdgeRuntimeException(_log.ActiveVersion is int a
                ? $"Cannot roll back from v{a.ToString(CultureInfo.InvariantCulture)}: no earlier activated version is still stored."
                : "Cannot roll back: no head has ever been activated.");
            HeadFiles.Load(target, VersionDirectory(target));
            return Commit(target, ActivationKind.Rollback, reason, forced: false);
        }
    }

    /// <summary>
    /// Loads the active head; if it is refused as corrupt, the newest earlier valid version in the activation history is
    /// returned instead (<see cref="HeadResolution.FellBack"/>) so the device keeps running. The active pointer is not changed.
    /// </summary>
    public HeadResolution ResolveActive()
    {
        lock (_sync)
        {
            int? active = _log.ActiveVersion;
            var refused = new List<CorruptHeadException>();
            if (active is null)
            {
                return new HeadResolution(null, null, refused);
            }

            foreach (int v in _log.Stack().Reverse().Distinct())
            {
                try
                {
                    var head = HeadFiles.Load(v, VersionDirectory(v));
                    if (v != active)
                    {
                        _logger.LogWarning("Active head v{Active} is refused; running v{Fallback} from the activation history instead", active, v);
                    }

                    return new HeadResolution(active, head, refused);
                }
                catch (CorruptHeadException ex)
                {
                    _logger.LogError("Head v{Version} refused: {Path}: {Reason}", v, ex.Path, ex.Reason);
                    refused.Add(ex);
                }
            }

            _logger.LogError("No valid head in the activation history (active v{Active}); running without a head", active);
            return new HeadResolution(active, null, refused);
        }
    }

    /// <summary>Deletes all but the newest <paramref name="keepLast"/> versions, never the active one or its rollback target.</summary>
    /// <returns>The deleted versions.</returns>
    public IReadOnlyList<int> Prune(int keepLast = DefaultKeepLast)
    {
        if (keepLast < 1)
        {
            throw new EdgeRuntimeException(string.Create(CultureInfo.InvariantCulture, $"Prune must keep at least 1 version, not {keepLast}."));
        }

        lock (_sync)
        {
            var all = VersionNumbers();
            var keep = new HashSet<int>(all.OrderDescending().Take(keepLast));
            if (_log.ActiveVersion is int active)
            {
                keep.Add(active);
            }

            if (FindRollbackTarget() is int rollback)
            {
                keep.Add(rollback);
            }

            var pruned = new List<int>();
            foreach (int v in all.Where(v => !keep.Contains(v)))
            {
                // Renamed first so a half-deleted directory never looks like a version.
                string trash = Path.Combine(HeadsDirectory, AtomicFile.TempMarker + "prune-" + Guid.NewGuid().ToString("N"));
                try
                {
                    Directory.Move(VersionDirectory(v), trash);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    _logger.LogWarning("Could not prune head v{Version}: {Reason}", v, ex.Message);
                    continue;
                }

                _directory.Delete(trash);
                pruned.Add(v);
            }

            _directory.SyncQuietly();
            return pruned;
        }
    }

    /// <summary>Releases the directory lock.</summary>
    public void Dispose() => _lock.Dispose();

    private ActivationRecord Commit(int version, ActivationKind kind, string reason, bool forced)
    {
        int? previous = _log.ActiveVersion;
        try
        {
            var record = _log.Commit(version, kind, reason, forced, _time.GetUtcNow());
            _logger.LogInformation("Head v{Version} is now active ({Kind}, was v{Previous}, forced {Forced}): {Reason}", version, kind, previous, forced, reason);
            return record;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            string still = previous is int p ? "v" + p.ToString(CultureInfo.InvariantCulture) : "no head";
            throw new EdgeRuntimeException($"Could not make head v{version.ToString(CultureInfo.InvariantCulture)} active in '{HeadsDirectory}': {ex.Message}. {still} stays active.", ex);
        }
    }

    private int? FindRollbackTarget()
    {
        var stack = _log.Stack();
        for (int i = stack.Count - 2; i >= 0; i--)
        {
            if (stack[i] != _log.ActiveVersion && Directory.Exists(VersionDirectory(stack[i])))
            {
                return stack[i];
            }
        }

        return null;
    }

    private List<int> VersionNumbers() => _directory.VersionNumbers();

    private string VersionDirectory(int version) => _directory.VersionPath(version);

    private void RequireExists(int version)
    {
        if (!Directory.Exists(VersionDirectory(version)))
        {
            string stored = string.Join(", ", VersionNumbers().Select(HeadVersion.FormatName));
            throw new EdgeRuntimeException($"There is no head {HeadVersion.FormatName(version)} in '{HeadsDirectory}' (stored: {(stored.Length == 0 ? "none" : stored)}).");
        }
    }
}
