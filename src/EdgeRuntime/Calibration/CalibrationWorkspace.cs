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

    /// <param name="fileSystem">Where sample images and head files are written; the real disk when null (tests pass a full disk).</param>
    public CalibrationWorkspace(string dataDirectory, EmbeddingEngine engine, OrtSessionFactory sessions, CalibrationOptions options, ILoggerFactory loggers, TimeProvider? time = null, IFileSystem? fileSystem = null)
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
            Store = new SampleStore(dataDirectory, new SampleStoreOptions { HoldoutShare = options.HoldoutShare, TimeProvider = _time, FileSystem = fileSystem ?? DiskFileSystem.Instance }, loggers.CreateLogger<SampleStore>());
            Registry = new HeadRegistry(dataDirectory, loggers.CreateLogger<HeadRegistry>(), _time, fileSystem);
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

        return StoreSample(image, normalized, source, embedding, capturedAt);
    }

    /// <summary>Stores a sample whose label, image and embedding are already validated.</summary>
    private AddSampleResult StoreSample(byte[] image, string normalized, SampleSource source, float[] embedding, DateTimeOffset? capturedAt)
    {
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

    public void Dispose()
    {
        _training.Dispose();
        Registry.Dispose();
        Store.Dispose();
        _lock.Dispose();
    }
}
