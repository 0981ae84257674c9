using EdgeRuntime.Imaging;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace EdgeRuntime.Samples;

/// <summary>
/// The on-device sample store: <c>samples.db</c> (SQLite, WAL) plus content-addressed image files under
/// <c>images/</c>, in one data directory. One row per distinct image; embeddings per (image, backbone, view).
/// <para>
/// Thread-safe within one process: writes are serialized on one connection; reads use their own pooled connections
/// and, thanks to WAL, run alongside writes (a training job reading while the service captures). Only one process
/// may open a data directory for writing: the host must hold <see cref="EdgeRuntime.Storage.DataDirectoryLock"/>
/// before opening the store, since opening deletes files no row references.
/// </para>
/// <para>
/// Crash safety: an image file is fsync'd and renamed into place before its row is inserted, and deleted only after
/// the row's deletion commits. Opening the store removes temp files and orphan images an interrupted add left
/// behind, and reports (and removes) rows whose file vanished, which only outside interference can cause.
/// </para>
/// </summary>
public sealed partial class SampleStore : IDisposable
{
    /// <summary>Database file name inside the data directory.</summary>
    public const string DatabaseFileName = "samples.db";

    /// <summary>Image folder name inside the data directory.</summary>
    public const string ImagesFolderName = "images";

    private readonly SampleStoreOptions _options;
    private readonly ILogger _logger;
    private readonly ImageFileStore _images;
    private readonly string _connectionString;
    private readonly Lock _writeGate = new();

    // Owned; used only under _writeGate.
    private readonly SqliteConnection _writer;
    private bool _disposed;

    /// <summary>Opens (creating or migrating if needed) the store in <paramref name="dataDirectory"/> and recovers from interrupted writes.</summary>
    /// <exception cref="SampleStoreException">The database is unreadable or from a newer build.</exception>
    public SampleStore(string dataDirectory, SampleStoreOptions options, ILogger<SampleStore> logger)
        : this(dataDirectory, options, logger, SampleStoreSchema.Migrations)
    {
    }

    internal SampleStore(string dataDirectory, SampleStoreOptions options, ILogger<SampleStore> logger, IReadOnlyList<string> migrations)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(migrations);
        if (options.Validate() is { } problem)
        {
            throw new EdgeRuntimeException(problem);
        }

        if (!BitConverter.IsLittleEndian)
        {
            // Embedding blobs are raw float32 in host order; every supported target (x86-64, aarch64) is little-endian.
            throw new PlatformNotSupportedException("The sample store needs a little-endian CPU.");
        }

        _options = options;
        _logger = logger;
        DataDirectory = Path.GetFullPath(dataDirectory);
        DatabasePath = Path.Combine(DataDirectory, DatabaseFileName);
        _images = new ImageFileStore(Path.Combine(DataDirectory, ImagesFolderName), options.FileSystem);
        if (!Directory.Exists(_images.Root))
        {
            Directory.CreateDirectory(_images.Root);
            Storage.PosixFile.FlushDirectory(DataDirectory);
        }
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = 30,
        }.ToString();

        try
        {
            _writer = OpenConnection();
            Execute(_writer, "PRAGMA journal_mode = WAL;");
            var found = SampleStoreSchema.Migrate(_writer, migrations, DatabasePath);
            OpenReport = Recover(migrations.Count, found);
        }
        catch (SqliteException ex)
        {
            _writer?.Dispose();
            ReleasePool();
            throw new SampleStoreException($"Cannot open the sample database '{DatabasePath}': {ex.Message}", ex);
        }
        catch
        {
            _writer?.Dispose();
            throw;
        }
    }

    /// <summary>The data directory (full path).</summary>
    public string DataDirectory { get; }

    /// <summary>Full path of <c>samples.db</c>.</summary>
    public string DatabasePath { get; }

    /// <summary>What opening found and repaired.</summary>
    public SampleStoreOpenReport OpenReport { get; }

    /// <summary>Holdout share applied to new samples.</summary>
    public double HoldoutShare => _options.HoldoutShare;

    /// <summary>
    /// Stores an image under a label. The same bytes under the same label return the existing sample flagged as a
    /// duplicate; under another label they are refused with <see cref="DuplicateImageException"/>.
    /// </summary>
    /// <param name="image">Encoded image bytes (JPEG, PNG, BMP or WebP).</param>
    /// <param name="label">Class label; trimmed and validated (<see cref="SampleLabels"/>).</param>
    /// <param name="source">Where the image came from.</param>
    /// <param name="capturedAt">Capture time; now (from the options' clock) when null. Stored as UTC.</param>
    /// <exception cref="InvalidLabelException">The label breaks a rule.</exception>
    /// <exception cref="UnsupportedImageException">Empty, too large, or not a recognized image.</exception>
    /// <exception cref="ImageTooLargeException">The header declares more pixels than the options allow.</exception>
    /// <exception cref="DuplicateImageException">These bytes are stored under another label.</exception>
    public AddSampleResult Add(ReadOnlySpan<byte> image, string label, SampleSource source, DateTimeOffset? capturedAt = null)
    {
        var normalized = SampleLabels.Normalize(label);
        if (!Enum.IsDefined(source))
        {
            throw new ArgumentOutOfRangeException(nameof(source), source, "Unknown sample source.");
        }

        var format = CheckImage(image);
        var hash = ContentHash.Of(image);
        var at = (capturedAt ?? _options.TimeProvider.GetUtcNow()).ToUniversalTime();

        lock (_writeGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (FindByHash(_writer, null, hash) is { } existing)
            {
                return string.Equals(existing.Label, normalized, StringComparison.Ordinal)
                    ? new AddSampleResult(existing, IsDuplicate: true)
                    : throw new DuplicateImageException(existing, normalized);
            }

            _images.Write(hash, format, image);
            try
            {
                using var transaction = _writer.BeginTransaction();
                var (train, holdout) = CountSplits(transaction, normalized);
                var split = SplitRule.Assign(normalized, hash, train, holdout, _options.HoldoutShare);
                using var insert = SampleRows.Command(
                    _writer,
                    transaction,
                    "INSERT INTO samples (label, source, captured_at_ticks, image_hash, image_format, image_length, split) "
                    + "VALUES ($label, $source, $at, $hash, $format, $length, $split) RETURNING id;",
                    ("$label", normalized),
                    ("$source", source.ToString()),
                    ("$at", at.UtcTicks),
                    ("$hash", hash),
                    ("$format", format.ToString()),
                    ("$length", (long)image.Length),
                    ("$split", split.ToString()));
                var id = (long)insert.ExecuteScalar()!;
                transaction.Commit();
                return new AddSampleResult(new Sample(id, normalized, source, at, hash, format, split, image.Length), IsDuplicate: false);
            }
            catch
            {
                // No row references the hash (checked above under the gate), so the file is ours to remove.
                Storage.AtomicFile.TryDelete(_images.PathFor(hash, format));
                throw;
            }
        }
    }

    /// <summary>Closes the database. Not thread-safe against calls still in flight.</summary>
    public void Dispose()
    {
        lock (_writeGate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _writer.Dispose();
            ReleasePool();
        }
    }

    private ImageFormat CheckImage(ReadOnlySpan<byte> image)
    {
        if (image.IsEmpty)
        {
            throw new UnsupportedImageException("The image is empty.");
        }

        if (image.Length > _options.MaxImageBytes)
        {
            throw new UnsupportedImageException(string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"The image is {image.Length} bytes; the limit is {_options.MaxImageBytes}."));
        }

        if (!ImageFormats.TryDetect(image, out var format) || format == ImageFormat.Tiff)
        {
            throw new UnsupportedImageException(
                $"The image is not JPEG, PNG, BMP or WebP (it starts with {Convert.ToHexString(image[..Math.Min(8, image.Length)])}).");
        }

        // Every stored image is decoded again (augmentation views, re-embedding at start-up): a bomb stored once
        // would exhaust memory at every boot, so the store refuses it as well as the API.
        if (!ImageFormats.TryReadSize(image, out int width, out int height))
        {
            throw new UnsupportedImageException($"The {format} header is truncated or does not state the image size.");
        }

        return (long)width * height > _options.MaxImagePixels
            ? throw new ImageTooLargeException("The image", width, height, _options.MaxImagePixels)
            : format;
    }

    private (int Train, int Holdout) CountSplits(SqliteTransaction transaction, string label)
    {
        using var command = SampleRows.Command(
            _writer,
            transaction,
            "SELECT COALESCE(SUM(split = 'Train'), 0), COALESCE(SUM(split = 'Holdout'), 0) FROM samples WHERE label = $label;",
            ("$label", label));
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt32(0), reader.GetInt32(1));
    }

    private SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();

            // FULL makes each commit durable on return; the image fsync already dominates an add's cost.
            Execute(connection, "PRAGMA synchronous = FULL;");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private SqliteConnection OpenReader()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return OpenConnection();
    }

    // Pooled reader connections keep the database open; release this store's pool (only) so the directory can be
    // moved, deleted or reopened cleanly.
    private void ReleasePool()
    {
        using var probe = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(probe);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
