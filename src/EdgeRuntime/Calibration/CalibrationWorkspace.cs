using EdgeRuntime.Embeddings;
using EdgeRuntime.Execution;
using EdgeRuntime.Heads;
using EdgeRuntime.Imaging;
using EdgeRuntime.Samples;
using EdgeRuntime.Storage;
using Microsoft.Extensions.Logging;

namespace EdgeRuntime.Calibration;

/// <summary>
/// Everything a technician's re-calibration touches in one data directory: samples and their embeddings, training,
/// the evaluation gate and the head registry. Holds the data-directory lock for its lifetime, so two processes never
/// write one directory. Owns the lock, the store and the registry; borrows the engine and the session factory.
/// Thread-safe: writes are serialised by the store and the registry; one training at a time.
/// </summary>
public sealed partial class CalibrationWorkspace : IDisposable
{
    private readonly DataDirectoryLock _lock;
    private readonly EmbeddingEngine _engine;
    private readonly OrtSessionFactory _sessions;
    private readonly CalibrationOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _training = new(1, 1);

    public CalibrationWorkspace(string dataDirectory, EmbeddingEngine engine, OrtSessionFactory sessions, CalibrationOptions options, ILoggerFactory loggers, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        if (options.Validate() is { } problem)
        {
            throw new EdgeRuntimeException(problem);
        }

        Directory.CreateDirectory(dataDirectory);
        _lock = DataDirectoryLock.Acquire(dataDirectory);
        try
        {
            (_engine, _sessions, _options, _loggers) = (engine, sessions, options, loggers);
            _logger = loggers.CreateLogger<CalibrationWorkspace>();
            Store = new SampleStore(dataDirectory, new SampleStoreOptions { HoldoutShare = options.HoldoutShare, TimeProvider = time ?? TimeProvider.System }, loggers.CreateLogger<SampleStore>());
            Registry = new HeadRegistry(dataDirectory, loggers.CreateLogger<HeadRegistry>(), time);
            DataDirectory = Path.GetFullPath(dataDirectory);
        }
        catch
        {
            Store?.Dispose();
            _lock.Dispose();
            throw;
        }
    }

    public string DataDirectory { get; }

    public SampleStore Store { get; }

    public HeadRegistry Registry { get; }

    public EmbeddingEngine Engine => _engine;

    public CalibrationOptions Options => _options;

    /// <summary>True while a training run holds the workspace.</summary>
    public bool IsTraining => _training.CurrentCount == 0;

    /// <summary>
    /// Embeds stored images that have no embedding for the current backbone: after a backbone change, or after a
    /// crash between storing an image and its embedding. Returns how many were embedded.
    /// </summary>
    public int EnsureEmbeddings(CancellationToken cancellationToken = default)
    {
        var missing = Store.ListSamplesMissingEmbedding(_engine.BackboneHash);
        if (missing.Count == 0)
        {
            return 0;
        }

        _logger.LogInformation("Embedding {Count} stored images for backbone {Backbone}", missing.Count, _engine.BackboneHash);
        var paths = missing.Select(Store.GetImagePath).ToList();
        var result = _engine.EmbedFiles(paths, null, cancellationToken);
        var byPath = missing.ToDictionary(Store.GetImagePath, s => s.ImageHash, StringComparer.Ordinal);
        Store.PutEmbeddings(_engine.BackboneHash, [.. result.Succeeded.Select(e => new EmbeddingEntry(byPath[e.Name], 0, e.Embedding))]);
        foreach (var failure in result.Failed)
        {
            _logger.LogWarning("Stored image {Path} could not be embedded: {Reason}", failure.Name, failure.Reason);
        }

        return result.Succeeded.Count;
    }

    /// <summary>
    /// Stores a labelled image and its embedding. The image is validated and decoded first; pass the embedding when
    /// the caller already has it (the live frame) to skip the backbone.
    /// </summary>
    /// <exception cref="InvalidImageException">Not a usable image.</exception>
    /// <exception cref="InvalidLabelException">The label is not acceptable.</exception>
    /// <exception cref="DuplicateImageException">The same image is already stored under another label.</exception>
    public AddSampleResult AddSample(byte[] image, string label, SampleSource source, string name, float[]? embedding = null, DateTimeOffset? capturedAt = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        var normalized = SampleLabels.Normalize(label);
        if (embedding is null)
        {
            embedding = _engine.EmbedImage(image, name);
        }
        else
        {
            using var check = ImageDecoder.Decode(image, name);
        }

        return StoreSample(image, normalized, source, embedding, capturedAt);
    }

    /// <summary>Stores an image already known to decode, then its embedding (a crash in between is repaired by <see cref="EnsureEmbeddings"/>).</summary>
    private AddSampleResult StoreSample(byte[] image, string label, SampleSource source, float[] embedding, DateTimeOffset? capturedAt)
    {
        var added = Store.Add(image, label, source, capturedAt);
        if (!added.IsDuplicate || !Store.TryGetEmbedding(added.Sample.ImageHash, _engine.BackboneHash, 0, new float[_engine.Dimension]))
        {
            Store.PutEmbedding(added.Sample.ImageHash, _engine.BackboneHash, 0, embedding);
        }

        return added;
    }

    /// <summary>
    /// Imports an ImageFolder layout (folder/&lt;label&gt;/*.jpg|png|bmp|webp). Bad files and bad labels are listed and
    /// skipped; everything else is stored with its embedding.
    /// </summary>
    public ImportResult Import(string folder, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(folder))
        {
            throw new EdgeRuntimeException($"Import folder '{folder}' does not exist.");
        }

        var failures = new List<ImageFailure>();
        var files = new List<(string Path, string Label)>();
        foreach (var dir in Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal))
        {
            var label = Path.GetFileName(dir);
            if (!SampleLabels.TryNormalize(label, out var normalized, out var reason))
            {
                failures.Add(new ImageFailure(dir, $"folder name is not a valid label: {reason}"));
                continue;
            }

            files.AddRange(Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
                .Where(f => ImageFileExtensions.Contains(Path.GetExtension(f)))
                .Order(StringComparer.Ordinal)
                .Select(f => (f, normalized)));
        }

        if (files.Count == 0 && failures.Count == 0)
        {
            throw new EdgeRuntimeException($"Import folder '{folder}' has no <label>/ sub-folders with images (ImageFolder layout: {folder}/<label>/*.jpg).");
        }

        int added = 0, duplicates = 0, done = 0;
        var embedded = _engine.EmbedFiles([.. files.Select(f => f.Path)], new SyncCount(n => progress?.Report(n / 2)), cancellationToken);
        failures.AddRange(embedded.Failed);
        var labels = files.ToDictionary(f => f.Path, f => f.Label, StringComparer.Ordinal);
        foreach (var item in embedded.Succeeded)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                // EmbedFiles decoded and checked the image already; only the bytes are needed now.
                var result = StoreSample(File.ReadAllBytes(item.Name), labels[item.Name], SampleSource.Import, item.Embedding, null);
                added += result.IsDuplicate ? 0 : 1;
                duplicates += result.IsDuplicate ? 1 : 0;
            }
            catch (EdgeRuntimeException ex)
            {
                failures.Add(new ImageFailure(item.Name, ex.Message));
            }
            catch (IOException ex)
            {
                failures.Add(new ImageFailure(item.Name, ex.Message));
            }

            progress?.Report((files.Count / 2) + (++done / 2));
        }

        progress?.Report(files.Count);
        return new ImportResult(added, duplicates, failures);
    }

    public void Dispose()
    {
        _training.Dispose();
        Registry.Dispose();
        Store.Dispose();
        _lock.Dispose();
    }

    private static readonly HashSet<string> ImageFileExtensions = new(StringComparer.OrdinalIgnoreCase) { ".jpg", ".jpeg", ".png", ".bmp", ".webp" };

    private sealed class SyncCount(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
