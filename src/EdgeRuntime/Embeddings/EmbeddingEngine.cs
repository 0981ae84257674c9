using EdgeRuntime.Execution;
using EdgeRuntime.Imaging;
using EdgeRuntime.Models;
using EdgeRuntime.Preprocessing;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;
using EdgeRuntime.Interop;

namespace EdgeRuntime.Embeddings;

/// <summary>
/// The loaded backbone: turns frames and image files into embeddings on the best available execution provider.
/// Owns its session, its input/output buffers and their OrtValues; dispose it to release them.
/// Thread-safe: calls are serialised, because the buffers are shared and the backbone already uses every core.
/// </summary>
public sealed class EmbeddingEngine : IDisposable
{
    /// <summary>Separates the fp32 hash from the int8 model's suffix in <see cref="BackboneHash"/>.</summary>
    public const string Int8HashMarker = "-int8-";

    private readonly OrtSessionFactory _factory;
    private OrtSessionHandle _handle;
    private readonly FramePreprocessor _preprocessor;
    private readonly string _inputName;
    private readonly string _outputName;
    private readonly RunOptions _runOptions = new();
    private readonly float[] _input;
    private readonly float[] _output;
    private readonly BatchSlot?[] _slots;
    private readonly long[] _outputTail;
    private bool _rebindInputs;
    private BackboneInfo _info;
    private readonly Lock _gate = new();
    private bool _disposed;

    private EmbeddingEngine(OrtSessionHandle handle, BackboneIdentity identity, BackboneManifest manifest, BackboneOptions options, string manifestPath,
        OrtSessionFactory factory, ModelChoice? choice)
    {
        (_handle, _factory, Manifest, Options) = (handle, factory, manifest, options);
        // Only the tensor names are kept: holding the prepared model's bytes would pin tens of megabytes for nothing.
        (_inputName, _outputName) = (identity.InputName, identity.OutputName);
        _preprocessor = new FramePreprocessor(manifest.Input, options.Resize);
        _input = new float[options.MaxBatchSize * manifest.Input.ElementCount];
        _slots = new BatchSlot?[options.MaxBatchSize];

        // Off the CPU, a bound host input is copied to the device at bind time, so it must be bound before every run.
        _rebindInputs = handle.Provider != ExecutionProvider.Cpu;
        _outputTail = WarmUp(handle, manifest.Embedding.Dimension, _input);
        _output = new float[options.MaxBatchSize * manifest.Embedding.Dimension];
        var fp32Hash = Fp32HashOf(identity, options);
        _info = new BackboneInfo(manifest.Name, manifestPath, manifest.ModelPath, manifest.Input, options.Resize, manifest.Embedding.Dimension,
            handle.Provider, handle.Failures, identity.BatchWasFixed, options.MaxBatchSize,
            fp32Hash + choice?.HashSuffix, manifest.Source, manifest.Licence)
        {
            Precision = choice?.Precision ?? PrecisionStatus.Fp32(options.Precision, handle.Int8Refusal is { } refused ? $"the provider refused the int8 model: {refused}" : null),
            Fp32Hash = fp32Hash,
        };
    }

    /// <summary>What runs now; replaced as a whole when the model is switched.</summary>
    public BackboneInfo Info => Volatile.Read(ref _info);

    public BackboneManifest Manifest { get; }

    public BackboneOptions Options { get; }

    public int Dimension => Info.EmbeddingDimension;

    /// <summary>Identifies the backbone, its preprocessing and the resize mode: embeddings are comparable only under one hash.</summary>
    public string BackboneHash => Info.BackboneHash;

    public ExecutionProvider Provider => _handle.Provider;

    /// <summary>
    /// True when a head trained on embeddings of <paramref name="backboneHash"/> can run here: the same backbone, or
    /// its fp32 or int8 form (an int8 model only runs after its parity check showed heads agree on both).
    /// </summary>
    public bool CanRunHeadsOf(string backboneHash)
    {
        ArgumentNullException.ThrowIfNull(backboneHash);
        var info = Info;
        int int8 = backboneHash.IndexOf(Int8HashMarker, StringComparison.Ordinal);
        return backboneHash == info.BackboneHash || (int8 < 0 ? backboneHash : backboneHash[..int8]) == info.Fp32Hash;
    }

    /// <summary>Loads, validates and warms the backbone described by <paramref name="manifest"/>.</summary>
    /// <exception cref="ManifestException">The model does not match its manifest.</exception>
    /// <param name="choose">Given the fp32 backbone hash, a model to run instead (the cached int8 one), or null for fp32.</param>
    public static EmbeddingEngine Load(BackboneManifest manifest, BackboneOptions options, OrtSessionFactory factory, ILogger<EmbeddingEngine> logger, string? manifestPath = null,
        Func<string, ModelChoice?>? choose = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(logger);
        if (options.Validate() is { } problem)
        {
            throw new EdgeRuntimeException(problem);
        }

        // With a cached int8 model the fp32 graph is prepared only if a provider needs it (TensorRT, a refusal).
        ModelChoice? choice = null;
        BackboneIdentity identity;
        OrtSessionHandle handle;
        if (choose is not null && options.Precision != BackbonePrecision.Fp32
            && choose(Fp32HashOf(identity = BackboneIdentity.Of(manifest), options)) is { } chosen)
        {
            handle = factory.CreateInt8(new Int8Models(chosen.Model, () => BackboneGraph.Prepare(manifest).Model, chosen.TensorRtCalibrationTable), manifest.Name);
            choice = Effective(chosen, handle, logger);
        }
        else
        {
            var prepared = BackboneGraph.Prepare(manifest);
            identity = prepared.Identity;
            handle = factory.Create(prepared.Model, manifest.Name);
        }

        try
        {
            var engine = new EmbeddingEngine(handle, identity, manifest, options, manifestPath ?? manifest.ModelPath, factory, choice);
            logger.LogInformation("Backbone {Backbone} loaded on {Provider} in {Precision}: input {Width}x{Height} {Order}, embedding {Dimension}, batch made dynamic {BatchMadeDynamic}",
                manifest.Name, handle.Provider, engine.Info.Precision.Active, manifest.Input.Width, manifest.Input.Height, manifest.Input.ChannelOrder, manifest.Embedding.Dimension, identity.BatchWasFixed);
            return engine;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Embeds one frame into <paramref name="embedding"/>. Allocates nothing in steady state.</summary>
    public void Embed(in ImageView image, Span<float> embedding)
    {
        CheckDestination(embedding, 1);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _preprocessor.Process(image, _input.AsSpan(0, Info.Input.ElementCount));
            Run(1);
            _output.AsSpan(0, Dimension).CopyTo(embedding);
        }
    }

    /// <summary>Embeds one OpenCV frame (8-bit grey, BGR or BGRA, any size).</summary>
    public void Embed(Mat frame, Span<float> embedding) => Embed(ImageView.Of(frame), embedding);

    public float[] Embed(Mat frame)
    {
        var result = new float[Dimension];
        Embed(frame, result);
        return result;
    }

    /// <summary>Embeds frames in backbone batches; row i of <paramref name="embeddings"/> belongs to frame i.</summary>
    public void EmbedBatch(IReadOnlyList<Mat> frames, Span<float> embeddings)
    {
        ArgumentNullException.ThrowIfNull(frames);
        CheckDestination(embeddings, frames.Count);
        int elements = Info.Input.ElementCount, max = Info.MaxBatchSize;
        for (int start = 0; start < frames.Count; start += max)
        {
            int n = Math.Min(max, frames.Count - start);
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                for (int i = 0; i < n; i++)
                {
                    _preprocessor.Process(ImageView.Of(frames[start + i]), _input.AsSpan(i * elements, elements));
                }

                Run(n);
                _output.AsSpan(0, n * Dimension).CopyTo(embeddings.Slice(start * Dimension, n * Dimension));
            }
        }
    }

    /// <summary>Decodes and embeds encoded image bytes.</summary>
    /// <exception cref="InvalidImageException">The bytes are not a usable image.</exception>
    public float[] EmbedImage(ReadOnlySpan<byte> encoded, string name)
    {
        using var mat = ImageDecoder.Decode(encoded, name);
        return Embed(mat);
    }

    /// <exception cref="InvalidImageException">The file is not a usable image.</exception>
    public float[] EmbedFile(string path)
    {
        using var mat = ImageDecoder.DecodeFile(path);
        return Embed(mat);
    }

    /// <summary>
    /// Embeds many files, decoding the next batch while the backbone runs the current one. Bad files are reported
    /// in <see cref="BatchEmbeddingResult.Failed"/> and do not stop the rest.
    /// </summary>
    public BatchEmbeddingResult EmbedFiles(IReadOnlyList<string> paths, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var succeeded = new List<EmbeddedImage>(paths.Count);
        var failed = new List<ImageFailure>();
        int max = Info.MaxBatchSize, done = 0;
        var next = PoolWork.Run(() => DecodeChunk(paths, 0, max));
        try
        {
            for (int start = 0; start < paths.Count; start += max)
            {
                var chunk = next.GetAwaiter().GetResult();
                int following = start + max;
                next = following < paths.Count ? PoolWork.Run(() => DecodeChunk(paths, following, max)) : Task.FromResult(new DecodedChunk([], []));
                try
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    failed.AddRange(chunk.Failures);
                    if (chunk.Images.Count > 0)
                    {
                        var rows = new float[chunk.Images.Count * Dimension];
                        EmbedBatch([.. chunk.Images.Select(i => i.Image)], rows);
                        for (int i = 0; i < chunk.Images.Count; i++)
                        {
                            succeeded.Add(new EmbeddedImage(chunk.Images[i].Name, rows.AsSpan(i * Dimension, Dimension).ToArray()));
                        }
                    }
                }
                finally
                {
                    chunk.Dispose();
                }
    
                done += chunk.Images.Count + chunk.Failures.Count;
                progress?.Report(done);
            }
        }
        finally
        {
            // Whatever was decoded ahead and not used (cancellation, an error) still owns native images.
            next.GetAwaiter().GetResult().Dispose();
        }

        return new BatchEmbeddingResult(succeeded, failed);
    }

    /// <summary>Runs the backbone on already preprocessed tensors (tests compare against reference preprocessing).</summary>
    internal void EmbedPreprocessed(ReadOnlySpan<float> tensors, int count, Span<float> embeddings)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            tensors[..(count * Info.Input.ElementCount)].CopyTo(_input);
            Run(count);
            _output.AsSpan(0, count * Dimension).CopyTo(embeddings);
        }
    }

    /// <summary>Fills <paramref name="tensor"/> with the engine's preprocessing of one frame.</summary>
    internal void Preprocess(in ImageView image, Span<float> tensor)
    {
        lock (_gate)
        {
            _preprocessor.Process(image, tensor);
        }
    }

    /// <summary>
    /// Runs <paramref name="choice"/> (or the fp32 backbone when null) from now on, without stopping callers: the new
    /// session is created and warmed outside the lock and swapped in between two runs. Callers see a new
    /// <see cref="BackboneHash"/>, so embeddings stored under the old one are recognisably stale.
    /// </summary>
    /// <exception cref="EdgeRuntimeException">The model could not start; the current one keeps running.</exception>
    public void SwitchModel(ModelChoice? choice, PrecisionStatus? fp32Status = null)
    {
        var handle = choice is null ? _factory.Create(BackboneGraph.Prepare(Manifest).Model, Manifest.Name)
            : _factory.CreateInt8(new Int8Models(choice.Model, () => BackboneGraph.Prepare(Manifest).Model, choice.TensorRtCalibrationTable), Manifest.Name);
        choice = Effective(choice, handle, null);
        fp32Status = choice is null && handle.Int8Refusal is { } refused ? PrecisionStatus.Fp32(Options.Precision, $"the provider refused the int8 model: {refused}") : fp32Status;
        OrtSessionHandle old;
        try
        {
            var tail = WarmUp(handle, Dimension, new float[Info.Input.ElementCount]);
            if (!tail.AsSpan().SequenceEqual(_outputTail))
            {
                throw new EdgeRuntimeException($"The replacement model's embedding has shape [{string.Join(", ", tail)}], not [{string.Join(", ", _outputTail)}].");
            }
        }
        catch
        {
            handle.Dispose();
            throw;
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            old = _handle;
            for (int i = 0; i < _slots.Length; i++)
            {
                _slots[i]?.Dispose();
                _slots[i] = null;
            }

            _handle = handle;
            _rebindInputs = handle.Provider != ExecutionProvider.Cpu;
            var info = Info;
            Volatile.Write(ref _info, info with
            {
                Provider = handle.Provider,
                ProviderFailures = handle.Failures,
                BackboneHash = info.Fp32Hash + choice?.HashSuffix,
                Precision = choice?.Precision ?? fp32Status ?? PrecisionStatus.Fp32(Options.Precision),
            });
        }

        old.Dispose();
    }

    private static string Fp32HashOf(BackboneIdentity identity, BackboneOptions options) =>
        $"{identity.ContentHash[..32]}-{options.Resize.ToString().ToLowerInvariant()}";

    /// <summary>The choice as it runs: none when the provider refused the int8 model and runs fp32 (its hash is then the fp32 one).</summary>
    private static ModelChoice? Effective(ModelChoice? choice, OrtSessionHandle handle, ILogger? logger)
    {
        if (choice is null || handle.RunsInt8)
        {
            return choice;
        }

        logger?.LogWarning("The int8 backbone runs in fp32: {Reason}", handle.Int8Refusal);
        return null;
    }

    /// <summary>Records why the precision is what it is (a refused int8 model) without changing the model.</summary>
    public void UpdatePrecision(PrecisionStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        lock (_gate)
        {
            Volatile.Write(ref _info, Info with { Precision = status });
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var slot in _slots)
            {
                slot?.Dispose();
            }

            _runOptions.Dispose();
            _handle.Dispose();
        }
    }

    private void Run(int n)
    {
        var slot = _slots[n - 1] ??= CreateSlot(n);
        if (_rebindInputs)
        {
            slot.Binding.BindInput(slot.InputName, slot.Input);
        }

        _handle.RunWithBinding(_runOptions, slot.Binding);
        foreach (var value in _output.AsSpan(0, n * Dimension))
        {
            if (!float.IsFinite(value))
            {
                // NaN or infinity would poison training, the unknown threshold and every JSON document showing them.
                throw new InferenceFailedException(_handle.ModelName, _handle.Provider, $"the backbone produced a non-finite value ({value})", new ArithmeticException());
            }
        }
    }

    private BatchSlot CreateSlot(int n)
    {
        var input = Info.Input;
        long[] inputShape = input.Layout == TensorLayout.Nchw ? [n, 3, input.Height, input.Width] : [n, input.Height, input.Width, 3];
        long[] outputShape = [n, .. _outputTail];
        return new BatchSlot(_handle.Session, _inputName, _outputName,
            _input.AsMemory(0, n * input.ElementCount), inputShape, _output.AsMemory(0, n * Dimension), outputShape);
    }

    /// <summary>Runs once to load kernels and learn the embedding's true shape (e.g. 512x1x1 for a pooled map).</summary>
    private long[] WarmUp(OrtSessionHandle handle, int dimension, float[] buffer)
    {
        var spec = _preprocessor.Spec;
        long[] shape = spec.Layout == TensorLayout.Nchw ? [1, 3, spec.Height, spec.Width] : [1, spec.Height, spec.Width, 3];
        using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffer.AsMemory(0, spec.ElementCount), shape);
        using var runOptions = new RunOptions();
        using var outputs = handle.Run(runOptions, [_inputName], [input], [_outputName]);
        var outShape = outputs[0].GetTensorTypeAndShape().Shape;
        long[] tail = outShape[1..];
        long product = tail.Aggregate(1L, (a, b) => a * b);
        if (product != dimension)
        {
            throw new ManifestException($"Manifest 'embedding.dimension' is {dimension} but output '{_outputName}' has shape [{string.Join(", ", outShape)}] ({product} values per image).");
        }

        return tail;
    }

    private void CheckDestination(Span<float> destination, int count)
    {
        if (destination.Length < count * Dimension)
        {
            throw new ArgumentException($"The destination holds {destination.Length} floats; {count} embeddings need {count * Dimension}.", nameof(destination));
        }
    }

    private static DecodedChunk DecodeChunk(IReadOnlyList<string> paths, int start, int max)
    {
        var images = new List<(string Name, Mat Image)>();
        var failures = new List<ImageFailure>();
        for (int i = start; i < Math.Min(paths.Count, start + max); i++)
        {
            try
            {
                images.Add((paths[i], ImageDecoder.DecodeFile(paths[i])));
            }
            catch (InvalidImageException ex)
            {
                failures.Add(new ImageFailure(paths[i], ex.Reason));
            }
        }

        return new DecodedChunk(images, failures);
    }
}
