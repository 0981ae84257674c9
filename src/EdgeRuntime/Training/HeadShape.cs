using System.Globalization;

namespace EdgeRuntime.Training;

/// <summary>
/// Dimensions of a head and the fixed order of its parameter tensors: Linear = [W (D×K), b (K)];
/// Hidden = [W1 (D×H), b1 (H), W2 (H×K), b2 (K)]. Matrices are row-major.
/// </summary>
public sealed record HeadShape
{
    public HeadShape(HeadKind kind, int dimension, int classCount, int hiddenSize = 0)
    {
        if (dimension < 1)
        {
            throw new EdgeRuntimeException($"Head embedding dimension must be positive, not {dimension}.");
        }

        if (classCount < 2)
        {
            throw new EdgeRuntimeException($"A head needs at least 2 classes, not {classCount}.");
        }

        if (kind == HeadKind.Hidden && hiddenSize < 1)
        {
            throw new EdgeRuntimeException($"A hidden head needs a positive hidden size, not {hiddenSize}.");
        }

        if (kind is not (HeadKind.Linear or HeadKind.Hidden))
        {
            throw new EdgeRuntimeException($"Unknown head kind {(int)kind}.");
        }

        Kind = kind;
        Dimension = dimension;
        ClassCount = classCount;
        HiddenSize = kind == HeadKind.Hidden ? hiddenSize : 0;
    }

    public HeadKind Kind { get; }

    /// <summary>Embedding size D.</summary>
    public int Dimension { get; }

    /// <summary>Number of classes K.</summary>
    public int ClassCount { get; }

    /// <summary>Hidden width H; 0 for a linear head.</summary>
    public int HiddenSize { get; }

    /// <summary>Parameter names in graph order.</summary>
    public IReadOnlyList<string> ParameterNames => Kind == HeadKind.Linear ? ["W", "b"] : ["W1", "b1", "W2", "b2"];

    /// <summary>Shape of parameter <paramref name="index"/>.</summary>
    public long[] ParameterDims(int index) => (Kind, index) switch
    {
        (HeadKind.Linear, 0) => [Dimension, ClassCount],
        (HeadKind.Linear, 1) => [ClassCount],
        (HeadKind.Hidden, 0) => [Dimension, HiddenSize],
        (HeadKind.Hidden, 1) => [HiddenSize],
        (HeadKind.Hidden, 2) => [HiddenSize, ClassCount],
        (HeadKind.Hidden, 3) => [ClassCount],
        _ => throw new ArgumentOutOfRangeException(nameof(index), index.ToString(CultureInfo.InvariantCulture)),
    };

    /// <summary>Number of floats in parameter <paramref name="index"/>.</summary>
    public int ParameterLength(int index) => (int)ParameterDims(index).Aggregate(1L, (a, b) => a * b);

    /// <summary>Matrices get weight decay; biases do not.</summary>
    public static bool IsDecayed(int index) => index % 2 == 0;
}
