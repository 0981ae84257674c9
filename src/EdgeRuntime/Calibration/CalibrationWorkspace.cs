using EdgeRuntime.Embeddings;
using EdgeRuntime.Evaluation;
using EdgeRuntime.Execution;
using EdgeRuntime.FewShot;
using EdgeRuntime.Heads;
using EdgeRuntime.Inference;
using EdgeRuntime.Samples;
using EdgeRuntime.Storage;
using EdgeRuntime.Training;
using Microsoft.Extensions.Logging;

namespace EdgeRuntime.Calibration;

/// <summary>
/// Everything a technician's re-calibration touches in one data directory, as intent-named operations: samples and
/// classes, import, training and the evaluation gate, head activation and rollback, evaluation and export. The work is
/// done by one collaborator per concern (<see cref="SampleIntake"/>, <see cref="SampleImporter"/>,
/// <see cref="HeadTraining"/>, <see cref="HeadActivation"/>, <see cref="ActiveHeadEvaluator"/>,
/// <see cref="HeadExporter"/>); the store and the registry never leave the engine.
/// Holds the data-directory lock for its lifetime, so two processes never write one directory. Owns the lock, the
/// store and the registry; borrows the engine and the session factory.
/// Thread-safe: writes are serialised by the store and the registry; one training at a time.
/// </summary>
public sealed class CalibrationWorkspace : IDisposable
{
    private readonly DataDirectoryLock _lock;
    private readonly EmbeddingEngine _engine;
    private readonly SampleIntake _intake;
    private readonly SampleImporter _importer;
    private readonly HeadTraining _training;
    private readonly HeadActivation _heads;
    private readonly ActiveHeadEvaluator _evaluator;
    private readonly HeadExporter _exporter;
    private readonly HeadAdaptation _adaptation;
    private readonly HeadAdoption _adoption;

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
            (_engine, Options) = (engine, options);
            var logger = loggers.CreateLogger<CalibrationWorkspace>();
            time ??= TimeProvider.System;
            Store = new SampleStore(dataDirectory, new SampleStoreOptions { HoldoutShare = options.HoldoutShare, TimeProvider = time, FileSystem = fileSystem ?? DiskFileSystem.Instance }, loggers.CreateLogger<SampleStore>());
            Registry = new HeadRegistry(dataDirectory, loggers.CreateLogger<HeadRegistry>(), time, fileSystem);
            DataDirectory = Path.GetFullPath(dataDirectory);
            _intake = new SampleIntake(Store, engine, logger);
            _importer = new SampleImporter(Store, engine);
            _heads = new HeadActivation(Registry, engine, sessions, options);
            _training = new HeadTraining(Store, Registry, engine, sessions, options, _intake, new TrainingViewEmbedder(Store, engine, logger), logger);
            _evaluator = new ActiveHeadEvaluator(_heads, engine, time);
            _exporter = new HeadExporter(Registry, engine, options, logger);
            _adaptation = new HeadAdaptation(Store, Registry, engine, sessions, options, loggers, logger);
            _adoption = new HeadAdoption(Store, Registry, engine, sessions, options);
        }
        catch
        {
            Store?.Dispose();
            _lock.Dispose();
            throw;
        }
    }

    public string DataDirectory { get; }

    public CalibrationOptions Options { get; }

    /// <summary>The loaded backbone's hash: heads and embeddings of another backbone do not run here.</summary>
    public string BackboneHash => _engine.BackboneHash;

    /// <summary>What the store's recovery found and repaired when the directory was opened.</summary>
    public SampleStoreOpenReport OpenReport => Store.OpenReport;

    /// <summary>True while a training run holds the workspace.</summary>
    public bool IsTraining => _training.IsTraining;

    /// <summary>For engine tests that inspect what was written; hosts go through the intent methods.</summary>
    internal SampleStore Store { get; }

    /// <summary>For engine tests that inspect what was written; hosts go through the intent methods.</summary>
    internal HeadRegistry Registry { get; }

    // ---- Samples and classes ----

    /// <summary>Samples per class and split (declared classes without samples included), classes in ordinal order.</summary>
    public IReadOnlyList<ClassCount> ClassCounts() => Store.GetClassCounts();

    /// <exception cref="InvalidLabelException">The label is not acceptable.</exception>
    public void DeclareClass(string label) => Store.DeclareClass(label);

    /// <summary>Moves every sample of a class to a new label; returns how many moved.</summary>
    public int RenameClass(string label, string newLabel) => Store.RenameClass(label, newLabel);

    /// <summary>Deletes a class with its samples; false when there is no such class (neither samples nor declared).</summary>
    public bool DeleteClass(string label)
    {
        var normalized = SampleLabels.Normalize(label);
        if (!Store.GetClassCounts().Any(c => c.Label == normalized))
        {
            return false;
        }

        Store.DeleteClass(normalized);
        return true;
    }

    /// <summary>
    /// Stores a labelled image and its embedding. The label, the embedding and the image are validated first, so a
    /// refused sample leaves nothing behind; pass the embedding when the caller already has it (the live frame) to
    /// skip the backbone.
    /// </summary>
    /// <exception cref="Imaging.InvalidImageException">Not a usable image.</exception>
    /// <exception cref="InvalidLabelException">The label is not acceptable.</exception>
    /// <exception cref="InvalidEmbeddingException">The given embedding has the wrong size or a non-finite value.</exception>
    /// <exception cref="DuplicateImageException">The same image is already stored under another label.</exception>
    public AddSampleResult AddSample(byte[] image, string label, SampleSource source, string name, float[]? embedding = null, DateTimeOffset? capturedAt = null) =>
        _intake.AddSample(image, label, source, name, embedding, capturedAt);

    /// <summary>Deletes one sample with its image and embeddings; false when there is no such sample.</summary>
    public bool DeleteSample(long id) => Store.DeleteSample(id);

    /// <summary>Newest samples first, optionally of one class.</summary>
    public IReadOnlyList<Sample> ListSamples(int offset, int limit, string? label = null) => Store.ListRecent(offset, limit, label);

    public Sample? FindSample(long id) => Store.GetSample(id);

    /// <summary>Where a stored sample's image file is.</summary>
    public string ImagePathOf(Sample sample) => Store.GetImagePath(sample);

    /// <summary>
    /// Imports an ImageFolder layout (folder/&lt;label&gt;/*.jpg|png|bmp|webp). Bad files, bad labels and empty class
    /// folders are listed and skipped; everything else is stored with its embedding.
    /// </summary>
    /// <param name="progress">Receives the number of image files handled (stored, duplicate or refused) so far.</param>
    /// <exception cref="EdgeRuntimeException">The folder is missing or holds no class folder with images.</exception>
    public ImportResult Import(string folder, IProgress<int>? progress = null, CancellationToken cancellationToken = default) =>
        _importer.Import(folder, progress, cancellationToken);

    /// <summary>
    /// Embeds stored images that have no embedding for the current backbone: after a backbone change, or after a
    /// crash between storing an image and its embedding. Returns how many were embedded.
    /// </summary>
    public int EnsureEmbeddings(CancellationToken cancellationToken = default) => _intake.EnsureEmbeddings(cancellationToken);

    // ---- Training ----

    /// <summary>Why the stored samples cannot train a head yet (<see cref="TrainingReadiness"/>), or null.</summary>
    public string? TrainingProblem() => TrainingReadiness.Problem(Store.GetClassCounts(), Options.ExplicitHoldout);

    /// <summary>Why a full training now would not be cross-validated (<see cref="TrainingReadiness.CrossValidationProblem"/>), or null.</summary>
    public string? CrossValidationProblem() => TrainingReadiness.CrossValidationProblem(Store.GetClassCounts(), Options.ExplicitHoldout);

    /// <summary>
    /// Trains a head on the stored samples, scores it and the active head on the same holdout, lets the gate decide,
    /// stores the new version and activates it when the gate (or <see cref="TrainRequest.Force"/>) says so.
    /// <see cref="TrainRequest.Instant"/> makes it <see cref="TrainInstant"/>.
    /// Runs on the calling thread: callers that must not disturb live inference run it at low priority.
    /// </summary>
    /// <exception cref="NotEnoughSamplesException">The samples cannot train a head; the message says what is missing.</exception>
    /// <exception cref="TrainingInProgressException">Another training is running.</exception>
    /// <exception cref="EdgeRuntimeException">The new head could not be stored (e.g. disk full); the active head is unchanged.</exception>
    public TrainingOutcome Train(TrainRequest request, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default) =>
        _training.Train(request, progress, cancellationToken);

    /// <summary>
    /// Stores an instant head (imprinted from class means, no training, marked instant) so a class just added is
    /// recognised at once; activates it when nothing is active or it knows a new class. Run a full <see cref="Train"/> next.
    /// </summary>
    /// <exception cref="NotEnoughSamplesException">Fewer than two classes have samples.</exception>
    /// <exception cref="TrainingInProgressException">Another training is running.</exception>
    public TrainingOutcome TrainInstant(TrainRequest request, CancellationToken cancellationToken = default) =>
        _training.TrainInstant(request, cancellationToken);

    /// <summary>
    /// Adapts the active head to a new camera from unlabelled frames (see <see cref="HeadAdaptation"/>): stores a new
    /// version with the evidence, activates it when the gate agrees. Holds the training slot.
    /// </summary>
    /// <exception cref="Adaptation.AdaptationException">Too few frames, no active head, or its calibration data is gone.</exception>
    /// <exception cref="TrainingInProgressException">Training or another adaptation is running.</exception>
    public Adaptation.AdaptationOutcome Adapt(Adaptation.AdaptRequest request, CancellationToken cancellationToken = default) =>
        _training.Exclusive(() => _adaptation.Adapt(request, cancellationToken), cancellationToken);

    /// <summary>
    /// Embeds the images under <paramref name="folder"/> (unlabelled frames for <see cref="Adapt"/>): at most
    /// <see cref="Adaptation.AdaptationOptions.MaxImages"/>, evenly spaced over the sorted paths; with the files that failed.
    /// </summary>
    public Adaptation.FolderFrames EmbedFolder(string folder, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(folder))
        {
            throw new EdgeRuntimeException($"'{folder}' is not a folder.");
        }

        var found = SampleImporter.ImageFilesIn(folder);
        var chosen = Adaptation.EvenSelection.Pick(found, Options.Adaptation.MaxImages);
        var embedded = _engine.EmbedFiles(chosen, null, cancellationToken);
        return new([.. embedded.Succeeded.SelectMany(e => e.Embedding)], [.. embedded.Failed.Select(f => $"{f.Name}: {f.Reason}")], found.Count, chosen.Count);
    }

    // ---- Heads ----

    /// <summary>Stored head versions, oldest first.</summary>
    /// <summary>
    /// Stores a head trained elsewhere (a fleet bundle) and lets this device's gate decide on its own samples; waits
    /// for a running training or adaptation. An adoption interrupted after the store is finished, not repeated.
    /// </summary>
    /// <exception cref="EdgeRuntimeException">The head cannot run on this device's embeddings, or cannot be stored.</exception>
    public AdoptionResult AdoptHead(ExternalHead head, CancellationToken cancellationToken = default) =>
        _training.ExclusiveWhenFree(() => _adoption.Adopt(head, cancellationToken), cancellationToken);

    public IReadOnlyList<HeadVersion> ListHeads() => Registry.List();

    /// <summary>A stored version's manifest, or null when there is no such version.</summary>
    public HeadVersion? FindHead(int version) => Registry.List().FirstOrDefault(v => v.Version == version);

    /// <exception cref="EdgeRuntimeException">No such version.</exception>
    public HeadVersion GetHead(int version) => Registry.Get(version);

    public int? ActiveVersion => Registry.ActiveVersion;

    /// <summary>The version a rollback would re-activate, if any.</summary>
    public int? RollbackTarget => Registry.RollbackTarget;

    /// <summary>True when the head was trained on the loaded backbone's embeddings (so it can run here).</summary>
    public bool IsForThisBackbone(HeadManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return _heads.IsForThisBackbone(manifest);
    }

    /// <summary>Makes a stored version active after verifying its files; <paramref name="forced"/> records that the gate was overridden.</summary>
    /// <exception cref="HeadBackboneMismatchException">The head was trained on another backbone.</exception>
    /// <exception cref="EdgeRuntimeException">No such version, a corrupt one, or the switch could not be written.</exception>
    public ActivationRecord Activate(int version, string reason, bool forced) => _heads.Activate(version, reason, forced);

    /// <summary>Re-activates the version that was active before the current one.</summary>
    /// <exception cref="EdgeRuntimeException">There is none, it is corrupt, or the switch could not be written.</exception>
    public ActivationRecord Rollback(string reason) => _heads.Rollback(reason);

    /// <summary>
    /// A classifier for the active head, or null when there is none (or none trained for this backbone). A corrupt
    /// active head is refused and the previous valid version used; <paramref name="problems"/> says so.
    /// The caller owns the classifier.
    /// </summary>
    public HeadClassifier? LoadActiveClassifier(out IReadOnlyList<string> problems) => _heads.LoadActiveClassifier(out problems);

    /// <summary>The trained weights of a stored version (for continued training or inspection).</summary>
    public TrainedHead LoadTrainedHead(int version) => _heads.LoadTrainedHead(version);

    /// <summary>The few-shot head (transform + parts) of a stored version trained by this engine.</summary>
    /// <exception cref="EdgeRuntimeException">The version is a head from before few-shot heads, or its checkpoint is corrupt.</exception>
    public FewShotHead LoadFewShotHead(int version) => FewShotHeadCheckpoint.Read(Registry.Load(version).Checkpoint.ToArray());

    // ---- Evaluation and export ----

    /// <summary>Classifies image files with the active head.</summary>
    /// <exception cref="EdgeRuntimeException">No head is active yet.</exception>
    public IReadOnlyList<(string File, Prediction? Prediction, string? Error)> Predict(IReadOnlyList<string> files, int topK, CancellationToken cancellationToken = default) =>
        _evaluator.Predict(files, topK, cancellationToken);

    /// <summary>Scores the active head on a labelled ImageFolder (folder/&lt;label&gt;/images), unknowns counted as wrong.</summary>
    public (int Version, ClassificationMetrics Metrics, IReadOnlyList<string> Failures) EvaluateFolder(string folder, CancellationToken cancellationToken = default) =>
        _evaluator.EvaluateFolder(folder, cancellationToken);

    /// <summary>Writes one ONNX file (preprocessing graph + backbone + active head) that plain ONNX Runtime can run.</summary>
    /// <exception cref="EdgeRuntimeException">No head is active, or the head was trained on another backbone than the manifest's.</exception>
    public int Export(string path, string backboneManifestPath) => _exporter.Export(path, backboneManifestPath);

    public void Dispose()
    {
        _training.Dispose();
        Registry.Dispose();
        Store.Dispose();
        _lock.Dispose();
    }
}
