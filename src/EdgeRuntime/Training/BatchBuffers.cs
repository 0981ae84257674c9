using Microsoft.ML.OnnxRuntime;

namespace EdgeRuntime.Training;

/// <summary>
/// Reusable input tensors of one minibatch size: the trainer overwrites the arrays, the pinned OrtValues see it.
/// The OrtValues are registered with the owner's tracker, which disposes them.
/// </summary>
internal sealed class BatchBuffers
{
    public BatchBuffers(HeadShape shape, int size, Func<OrtValue, OrtValue> track)
    {
        Size = size;
        Embeddings = new float[size * shape.Dimension];
        Labels = new long[size];
        Weights = new float[size];
        DropoutMask = new float[size * shape.HiddenSize];
        List<OrtValue> values =
        [
            track(OrtValue.CreateTensorValueFromMemory(Embeddings, [size, shape.Dimension])),
            track(OrtValue.CreateTensorValueFromMemory(Labels, [size])),
            track(OrtValue.CreateTensorValueFromMemory(Weights, [size])),
        ];
        if (shape.Kind == HeadKind.Hidden)
        {
            values.Add(track(OrtValue.CreateTensorValueFromMemory(DropoutMask, [size, shape.HiddenSize])));
        }

        Values = values;
    }

    public int Size { get; }

    public float[] Embeddings { get; }

    public long[] Labels { get; }

    public float[] Weights { get; }

    /// <summary>[Size, H] of 0 or 1/(1-p); empty for a linear head.</summary>
    public float[] DropoutMask { get; }

    /// <summary>Step-graph inputs in order: X, labels, weights and, for hidden heads, the dropout mask.</summary>
    public IReadOnlyList<OrtValue> Values { get; }
}
