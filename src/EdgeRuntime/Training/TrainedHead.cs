using Google.Protobuf;

namespace EdgeRuntime.Training;

/// <summary>
/// A trained (or imprinted) classifier head: its shape, parameters in <see cref="HeadShape.ParameterNames"/> order,
/// the optimizer state to resume from, and the training history. Immutable by convention: do not modify the arrays.
/// </summary>
public sealed class TrainedHead
{
    public TrainedHead(HeadShape shape, IReadOnlyList<float[]> parameters, AdamState optimizer, int bestEpoch, IReadOnlyList<TrainingProgress> history)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(history);
        InferenceHeadBuilder.CheckParameters(shape, parameters);
        InferenceHeadBuilder.CheckParameters(shape, optimizer.FirstMoments);
        InferenceHeadBuilder.CheckParameters(shape, optimizer.SecondMoments);
        Shape = shape;
        Parameters = parameters;
        Optimizer = optimizer;
        BestEpoch = bestEpoch;
        History = history;
    }

    public HeadShape Shape { get; }

    public HeadKind Kind => Shape.Kind;

    public int Dimension => Shape.Dimension;

    public int ClassCount => Shape.ClassCount;

    public IReadOnlyList<float[]> Parameters { get; }

    /// <summary>AdamW state at the returned parameters (the best epoch when early stopping restored it).</summary>
    public AdamState Optimizer { get; }

    /// <summary>1-based epoch whose parameters these are; 0 for an untrained (imprinted) head.</summary>
    public int BestEpoch { get; }

    /// <summary>Metrics of every epoch run, including those after the best one.</summary>
    public IReadOnlyList<TrainingProgress> History { get; }

    /// <summary>The inference-head ONNX model bytes ("embedding" → "probabilities"); see <see cref="InferenceHeadBuilder"/>.</summary>
    public byte[] ToInferenceModel(long opset = InferenceHeadBuilder.DefaultOpset, long irVersion = InferenceHeadBuilder.DefaultIrVersion) =>
        InferenceHeadBuilder.Build(Shape, Parameters, opset, irVersion).ToByteArray();

    /// <summary>Serializes to the checkpoint format documented on <see cref="HeadCheckpoint"/>.</summary>
    public byte[] ToCheckpoint() => HeadCheckpoint.Write(this);

    /// <summary>Reads a checkpoint; a truncated or corrupt one is refused with an <see cref="EdgeRuntimeException"/> giving the reason.</summary>
    public static TrainedHead FromCheckpoint(byte[] checkpoint) => HeadCheckpoint.Read(checkpoint);
}
