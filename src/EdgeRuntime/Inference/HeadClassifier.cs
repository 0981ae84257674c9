using EdgeRuntime.Execution;
using EdgeRuntime.Novelty;
using Microsoft.ML.OnnxRuntime;

namespace EdgeRuntime.Inference;

/// <summary>
/// Runs an inference head (embedding [N, D] to probabilities [N, K]) on the shared execution provider and turns the
/// probabilities into a label or "unknown". A head that carries a novelty model (<see cref="NoveltyGraph"/>) also
/// outputs each frame's novelty score and whitened features, and its novelty threshold decides "unknown" instead of
/// the confidence threshold. Owns its session and its pre-bound single-row tensors.
/// Thread-safe (calls are serialised; a head costs microseconds next to the backbone).
/// </summary>
public sealed class HeadClassifier : IDisposable
{
    public const string InputName = "embedding";
    public const string OutputName = "probabilities";

    private readonly OrtSessionHandle _handle;
    private readonly RunOptions _runOptions = new();
    private readonly float[] _input;
    private readonly float[] _output;
    private readonly OrtValue _inputValue;
    private readonly OrtValue _outputValue;
    private readonly float[] _novelty = new float[1];
    private readonly float[] _features = [];
    private readonly string[] _outputNames = [OutputName];
    private readonly OrtValue[] _outputValues = [];
    private readonly Lock _gate = new();

    /// <param name="model">Serialized head ONNX model.</param>
    /// <param name="labels">Class names, in the order of the model's output columns.</param>
    /// <param name="dimension">Embedding size the head expects.</param>
    /// <param name="unknownThreshold">Best probabilities below this are reported as unknown.</param>
    /// <param name="version">Registry version, carried into every prediction.</param>
    /// <param name="factory">Creates the session on the same provider preference as the backbone.</param>
    /// <param name="noveltyRejects">
    /// Whether the head's novelty model may call a frame unknown; false keeps the score in predictions and drift but
    /// lets only <paramref name="unknownThreshold"/> decide (a closed-world line where every item belongs to a class).
    /// </param>
    public HeadClassifier(byte[] model, IReadOnlyList<string> labels, int dimension, float unknownThreshold, int version, OrtSessionFactory factory,
        bool noveltyRejects = true)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(factory);
        if (labels.Count < 2)
        {
            throw new EdgeRuntimeException($"A head needs at least two classes, not {labels.Count}.");
        }

        if (unknownThreshold is < 0f or > 1f || float.IsNaN(unknownThreshold))
        {
            throw new EdgeRuntimeException($"The unknown threshold must be within 0..1, not {unknownThreshold}.");
        }

        Labels = [.. labels];
        Dimension = dimension;
        UnknownThreshold = unknownThreshold;
        NoveltyRejects = noveltyRejects;
        Version = version;
        _handle = factory.Create(model, $"head v{version}");
        try
        {
            _input = new float[dimension];
            _output = new float[labels.Count];
            _inputValue = OrtValue.CreateTensorValueFromMemory(_input, [1, dimension]);
            _outputValue = OrtValue.CreateTensorValueFromMemory(_output, [1, labels.Count]);
            _outputValues = [_outputValue];
            Novelty = NoveltyGraph.Read(model);
            if (Novelty is not null)
            {
                _features = new float[dimension];
                _outputNames = [OutputName, NoveltyGraph.NoveltyOutput, NoveltyGraph.FeaturesOutput];
                _outputValues = [_outputValue, OrtValue.CreateTensorValueFromMemory(_novelty, [1, 1]), OrtValue.CreateTensorValueFromMemory(_features, [1, dimension])];
            }

            // A zero embedding must run and give one probability per label: catches a head built for other classes.
            Span<float> check = stackalloc float[labels.Count];
            Probabilities(new float[dimension], check);
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or InferenceFailedException or EdgeRuntimeException or Google.Protobuf.InvalidProtocolBufferException)
        {
            Dispose();
            throw new EdgeRuntimeException(FaultKind.Corrupt, $"Head v{version} does not accept {dimension}-value embeddings or does not output {labels.Count} probabilities: {ex.Message}", ex);
        }
    }

    public IReadOnlyList<string> Labels { get; }

    public int Dimension { get; }

    public float UnknownThreshold { get; }

    /// <summary>Whether the novelty model (when the head has one) decides "unknown" instead of <see cref="UnknownThreshold"/>.</summary>
    public bool NoveltyRejects { get; }

    public int Version { get; }

    public ExecutionProvider Provider => _handle.Provider;

    /// <summary>The head's novelty model and threshold; null for a head trained without one.</summary>
    public NoveltyDetector? Novelty { get; }

    /// <summary>Writes one probability per label.</summary>
    public void Probabilities(ReadOnlySpan<float> embedding, Span<float> probabilities) => Run(embedding, probabilities, default);

    /// <summary>
    /// Writes one probability per label and, for a head with a novelty model, the whitened features to
    /// <paramref name="features"/> (D values; may be empty); returns the novelty score, or null without a model.
    /// </summary>
    public float? Run(ReadOnlySpan<float> embedding, Span<float> probabilities, Span<float> features)
    {
        if (embedding.Length != Dimension)
        {
            throw new ArgumentException($"The head expects {Dimension} values, not {embedding.Length}.", nameof(embedding));
        }

        lock (_gate)
        {
            embedding.CopyTo(_input);
            _handle.Run(_runOptions, [InputName], [_inputValue], _outputNames, _outputValues);
            _output.CopyTo(probabilities);
            if (Novelty is null)
            {
                return null;
            }

            if (features.Length == Dimension)
            {
                _features.CopyTo(features);
            }

            return _novelty[0];
        }
    }

    /// <summary>Classifies one embedding: the best label, or unknown below the threshold, and the top <paramref name="topK"/>.</summary>
    /// <param name="features">Receives the whitened features of a head with a novelty model (D values; may be empty).</param>
    public Prediction Classify(ReadOnlySpan<float> embedding, int topK, DateTimeOffset frameTime, TimeSpan latencySoFar, Span<float> features = default)
    {
        var probabilities = new float[Labels.Count];
        var novelty = Run(embedding, probabilities, features);
        var ranked = Enumerable.Range(0, probabilities.Length)
            .OrderByDescending(i => probabilities[i])
            .Take(Math.Clamp(topK, 1, probabilities.Length))
            .Select(i => new ClassScore(Labels[i], probabilities[i]))
            .ToList();
        var best = ranked[0];
        bool unknown = novelty is { } score && NoveltyRejects ? Novelty!.IsUnknown(score, best.Probability) : best.Probability < UnknownThreshold;
        return new Prediction(unknown ? null : best.Label, best.Probability, ranked, Version, frameTime, latencySoFar, novelty);
    }

    public void Dispose()
    {
        _inputValue?.Dispose();
        foreach (var value in (_outputValues ?? []).Skip(1))
        {
            value.Dispose();
        }

        _outputValue?.Dispose();
        _runOptions.Dispose();
        _handle?.Dispose();
    }
}
