using EdgeRuntime.Execution;
using Microsoft.ML.OnnxRuntime;

namespace EdgeRuntime.Inference;

/// <summary>
/// Runs an inference head (embedding [N, D] to probabilities [N, K]) on the shared execution provider and turns the
/// probabilities into a label or "unknown". Owns its session and its pre-bound single-row tensors.
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
    private readonly Lock _gate = new();

    /// <param name="model">Serialized head ONNX model.</param>
    /// <param name="labels">Class names, in the order of the model's output columns.</param>
    /// <param name="dimension">Embedding size the head expects.</param>
    /// <param name="unknownThreshold">Best probabilities below this are reported as unknown.</param>
    /// <param name="version">Registry version, carried into every prediction.</param>
    /// <param name="factory">Creates the session on the same provider preference as the backbone.</param>
    public HeadClassifier(byte[] model, IReadOnlyList<string> labels, int dimension, float unknownThreshold, int version, OrtSessionFactory factory)
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
        Version = version;
        _handle = factory.Create(model, $"head v{version}");
        try
        {
            _input = new float[dimension];
            _output = new float[labels.Count];
            _inputValue = OrtValue.CreateTensorValueFromMemory(_input, [1, dimension]);
            _outputValue = OrtValue.CreateTensorValueFromMemory(_output, [1, labels.Count]);

            // A zero embedding must run and give one probability per label: catches a head built for other classes.
            Span<float> check = stackalloc float[labels.Count];
            Probabilities(new float[dimension], check);
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or InferenceFailedException)
        {
            Dispose();
            throw new EdgeRuntimeException(FaultKind.Corrupt, $"Head v{version} does not accept {dimension}-value embeddings or does not output {labels.Count} probabilities: {ex.Message}", ex);
        }
    }

    public IReadOnlyList<string> Labels { get; }

    public int Dimension { get; }

    public float UnknownThreshold { get; }

    public int Version { get; }

    public ExecutionProvider Provider => _handle.Provider;

    /// <summary>Writes one probability per label.</summary>
    public void Probabilities(ReadOnlySpan<float> embedding, Span<float> probabilities)
    {
        if (embedding.Length != Dimension)
        {
            throw new ArgumentException($"The head expects {Dimension} values, not {embedding.Length}.", nameof(embedding));
        }

        lock (_gate)
        {
            embedding.CopyTo(_input);
            _handle.Run(_runOptions, [InputName], [_inputValue], [OutputName], [_outputValue]);
            _output.CopyTo(probabilities);
        }
    }

    /// <summary>Classifies one embedding: the best label, or unknown below the threshold, and the top <paramref name="topK"/>.</summary>
    public Prediction Classify(ReadOnlySpan<float> embedding, int topK, DateTimeOffset frameTime, TimeSpan latencySoFar)
    {
        var probabilities = new float[Labels.Count];
        Probabilities(embedding, probabilities);
        var ranked = Enumerable.Range(0, probabilities.Length)
            .OrderByDescending(i => probabilities[i])
            .Take(Math.Clamp(topK, 1, probabilities.Length))
            .Select(i => new ClassScore(Labels[i], probabilities[i]))
            .ToList();
        var best = ranked[0];
        return new Prediction(best.Probability >= UnknownThreshold ? best.Label : null, best.Probability, ranked, Version, frameTime, latencySoFar);
    }

    public void Dispose()
    {
        _inputValue?.Dispose();
        _outputValue?.Dispose();
        _runOptions.Dispose();
        _handle?.Dispose();
    }
}
