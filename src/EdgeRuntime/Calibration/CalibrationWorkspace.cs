using System.Globalization;
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
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _training = new(1, 1);

    /// <param name="headFileSystem">Where head files are written; the real disk when null (tests pass a full disk).</param>
    public CalibrationWorkspace(string dataDirectory, EmbeddingEngine engine, OrtSessionFactory sessions, CalibrationOptions options, ILoggerFactory loggers, TimeProvider? time = null, IHeadFileSystem? headFileSystem = null)
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
            _time = time ?? TimeProvider.System;
            Store = new SampleStore(dataDirectory, new SampleStoreOptions { HoldoutShare = options.HoldoutShare, TimeProvider = _time }, loggers.CreateLogger<SampleStore>());
            Registry = new HeadRegistry(dataDirectory, loggers.CreateLogger<HeadRegistry>(), _time, headFileSystem);
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
    /// Stores a labelled image and its embedding. The label, the embedding and the image are validated first, so a
    /// refused sample leaves nothing behind; pass the embedding when the caller already has it (the live frame) to
    /// skip the backbone.
    /// </summary>
    /// <exception cref="InvalidImageException">Not a usable image.</exception>
    /// <exception cref="InvalidLabelException">The label is not acceptable.</exception>
    /// <exception cref="InvalidEmbeddingException">The given embedding has the wrong size or a non-finite value.</exception>
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
            CheckEmbedding(embedding, name);
            using var check = ImageDecoder.Decode(image, name);
        }

        var added = Store.Add(image, normalized, source, capturedAt);
        if (added.IsDuplicate && Store.TryGetEmbedding(added.Sample.ImageHash, _engine.BackboneHash, 0, new float[_engine.Dimension]))
        {
            return added;
        }

        try
        {
            Store.PutEmbedding(added.Sample.ImageHash, _engine.BackboneHash, 0, embedding);
        }
        catch (Exception) when (!added.IsDuplicate)
        {
            // The caller is told the add failed, so the sample must not linger without its embedding.
            Store.DeleteSample(added.Sample.Id);
            throw;
        }

        return added;
    }

    private void CheckEmbedding(float[] embedding, string name)
    {
        if (embedding.Length != _engine.Dimension)
        {
            throw new InvalidEmbeddingException(string.Create(CultureInfo.InvariantCulture,
                $"The embedding given for '{name}' has {embedding.Length} values; backbone {_engine.Info.Name} makes {_engine.Dimension}. Nothing was stored."));
        }

        int bad = Array.FindIndex(embedding, v => !float.IsFinite(v));
        if (bad >= 0)
        {
            throw new InvalidEmbeddingException(string.Create(CultureInfo.InvariantCulture,
                $"The embedding given for '{name}' has {embedding[bad]} at index {bad}; embeddings must be finite. Nothing was stored."));
        }
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

            var images = ImageFilesIn(dir);
            if (images.Count == 0)
            {
                // An empty class folder is almost always a mistake (wrong folder copied); say so rather than skip silently.
                failures.Add(new ImageFailure(dir, $"class folder '{label}' has no images (.jpg, .jpeg, .png, .bmp, .webp); the class was not imported"));
                continue;
            }

            files.AddRange(images.Select(f => (f, normalized)));
        }

        if (files.Count == 0)
        {
            string found = failures.Count == 0 ? string.Empty : " Found: " + string.Join("; ", failures.Select(f => $"{f.Name}: {f.Reason}"));
            throw new EdgeRuntimeException($"Import folder '{folder}' has no <label>/ sub-folders with images (ImageFolder layout: {folder}/<label>/*.jpg).{found}");
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
                var result = AddSample(File.ReadAllBytes(item.Name), labels[item.Name], SampleSource.Import, Path.GetFileName(item.Name), item.Embedding);
                added += result.IsDuplicate ? 0 : 1;
                duplicates += result.IsDuplicate ? 1 : 0;
            }
            catch (EdgeRuntimeException ex)
            {
                failures.Add(new ImageFailure(item.Name, ex.Message));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
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

    private static List<string> ImageFilesIn(string directory) =>
        [.. Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => ImageFileExtensions.Contains(Path.GetExtension(f)))
            .Order(StringComparer.Ordinal)];

    private static readonly HashSet<string> ImageFileExtensions = new(StringComparer.OrdinalIgnoreCase) { ".jpg", ".jpeg", ".png", ".bmp", ".webp" };

    private sealed class SyncCount(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
