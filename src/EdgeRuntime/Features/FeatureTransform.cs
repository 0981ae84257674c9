using System.Globalization;
using EdgeRuntime.Training;
using Google.Protobuf;
using Onnx;

namespace EdgeRuntime.Features;

/// <summary>
/// The feature transform every few-shot head applies to a raw embedding (see <see cref="FeatureTransformKind"/>).
/// Centring kinds carry a reference mean: the mean of the head's training embeddings after the power and first L2
/// step (<see cref="Prepare"/>). In ONNX it is the initializer <see cref="ReferenceMeanName"/>, so a stored head can
/// be re-centred on another population (e.g. the field's mean) without retraining: <see cref="ReplaceReferenceMean"/>.
/// Immutable.
/// </summary>
public sealed class FeatureTransform
{
    /// <summary>Name of the [1, D] reference-mean initializer in every head graph (merged graphs prefix it, e.g. "head/feature_mean").</summary>
    public const string ReferenceMeanName = "feature_mean";

    /// <summary>Norms are floored here so that a zero vector maps to zero instead of NaN.</summary>
    public const float NormFloor = 1e-12f;

    private readonly float[] _mean;

    private FeatureTransform(FeatureTransformKind kind, int dimension, float[] mean)
    {
        Kind = kind;
        Dimension = dimension;
        _mean = mean;
    }

    public FeatureTransformKind Kind { get; }

    public int Dimension { get; }

    /// <summary>True for the kinds that subtract a reference mean.</summary>
    public bool IsCentred => Kind is FeatureTransformKind.CenteredL2 or FeatureTransformKind.PowerCenteredL2;

    /// <summary>The reference mean m (length D; all zero for kinds that do not centre). A copy.</summary>
    public float[] ReferenceMean => (float[])_mean.Clone();

    /// <summary>A transform whose reference mean is the mean of <paramref name="embeddings"/> (rows of D raw embeddings) after <see cref="Prepare"/>.</summary>
    public static FeatureTransform Fit(FeatureTransformKind kind, ReadOnlySpan<float> embeddings, int dimension)
    {
        var transform = Create(kind, dimension, new float[dimension]);
        return transform.IsCentred ? transform.WithReferenceMean(transform.ReferenceMeanOf(embeddings)) : transform;
    }

    /// <summary>A transform with an explicit reference mean (ignored, and stored as zeros, by kinds that do not centre).</summary>
    public static FeatureTransform Create(FeatureTransformKind kind, int dimension, float[] referenceMean)
    {
        ArgumentNullException.ThrowIfNull(referenceMean);
        if (!Enum.IsDefined(kind))
        {
            throw new EdgeRuntimeException($"Unknown feature transform {(int)kind}: use None, L2, CenteredL2 or PowerCenteredL2.");
        }

        if (dimension < 1)
        {
            throw new EdgeRuntimeException($"Feature transform dimension must be positive, not {dimension}.");
        }

        CheckMean(referenceMean, dimension);
        var centred = kind is FeatureTransformKind.CenteredL2 or FeatureTransformKind.PowerCenteredL2;
        return new FeatureTransform(kind, dimension, centred ? (float[])referenceMean.Clone() : new float[dimension]);
    }

    /// <summary>The same transform centred on <paramref name="referenceMean"/> (e.g. the field's mean of <see cref="Prepare"/>d embeddings).</summary>
    public FeatureTransform WithReferenceMean(float[] referenceMean) => Create(Kind, Dimension, referenceMean);

    /// <summary>The mean of <see cref="Prepare"/>d rows: what <see cref="Fit"/> stores, and what a re-centring on new data needs.</summary>
    public float[] ReferenceMeanOf(ReadOnlySpan<float> embeddings)
    {
        var rows = CheckRows(embeddings);
        var sum = new double[Dimension];
        var prepared = new double[Dimension];
        for (var n = 0; n < rows; n++)
        {
            Prepare(embeddings.Slice(n * Dimension, Dimension), prepared);
            for (var j = 0; j < Dimension; j++)
            {
                sum[j] += prepared[j];
            }
        }

        return [.. sum.Select(s => (float)(s / Math.Max(rows, 1)))];
    }

    /// <summary>The steps before centring: power (if any) and L2 (if the kind normalises). Float64.</summary>
    public void Prepare(ReadOnlySpan<float> embedding, Span<double> prepared)
    {
        for (var j = 0; j < Dimension; j++)
        {
            double v = embedding[j];
            prepared[j] = Kind == FeatureTransformKind.PowerCenteredL2 ? (v >= 0 ? Math.Sqrt(v) : -Math.Sqrt(-v)) : v;
        }

        if (Kind != FeatureTransformKind.None)
        {
            Normalise(prepared[..Dimension]);
        }
    }

    /// <summary>Applies the whole transform to one embedding, in float64.</summary>
    public void Apply(ReadOnlySpan<float> embedding, Span<double> features)
    {
        if (embedding.Length != Dimension || features.Length < Dimension)
        {
            throw new EdgeRuntimeException(string.Create(CultureInfo.InvariantCulture, $"The feature transform takes {Dimension}-d embeddings, not {embedding.Length}-d."));
        }

        Prepare(embedding, features);
        if (IsCentred)
        {
            for (var j = 0; j < Dimension; j++)
            {
                features[j] -= _mean[j];
            }

            Normalise(features[..Dimension]);
        }
    }

    /// <summary>Applies the transform to rows of raw embeddings; returns rows of features (float64, row-major).</summary>
    public double[] ApplyAll(ReadOnlySpan<float> embeddings)
    {
        var rows = CheckRows(embeddings);
        var result = new double[rows * Dimension];
        for (var n = 0; n < rows; n++)
        {
            Apply(embeddings.Slice(n * Dimension, Dimension), result.AsSpan(n * Dimension, Dimension));
        }

        return result;
    }

    /// <summary>
    /// Appends the transform to a graph reading [N, D] <paramref name="input"/>; returns the name of the transformed
    /// [N, D] tensor. Ops valid from opset 8: the signed square root is √relu(x) − √relu(−x), norms are
    /// max(ReduceL2, floor).
    /// </summary>
    internal string AppendTo(GraphWriter g, string input)
    {
        if (Kind == FeatureTransformKind.None)
        {
            return input;
        }

        var x = input;
        if (Kind == FeatureTransformKind.PowerCenteredL2)
        {
            x = g.Op("Sub", g.Op("Sqrt", g.Op("Relu", x)), g.Op("Sqrt", g.Op("Relu", g.Op("Neg", x))));
        }

        var floor = g.ConstFloat([NormFloor], 1);
        string L2(string t) => g.Op("Div", t, g.Op("Max", g.OpWith("ReduceL2", [t], [GraphWriter.Ints("axes", 1), GraphWriter.Int("keepdims", 1)]), floor));
        x = L2(x);
        if (IsCentred)
        {
            g.Initializer(ReferenceMeanName, _mean, 1, Dimension);
            x = L2(g.Op("Sub", x, ReferenceMeanName));
        }

        return x;
    }

    /// <summary>
    /// Returns <paramref name="model"/> (ONNX bytes of a head, or of a merged backbone + head) with its reference
    /// mean replaced by <paramref name="referenceMean"/>: the initializer named <see cref="ReferenceMeanName"/> or
    /// ending in "/" + that name. The rest of the model is byte-for-byte the same.
    /// </summary>
    /// <exception cref="EdgeRuntimeException">The model has no (or more than one) reference mean, or the length differs.</exception>
    public static byte[] ReplaceReferenceMean(byte[] model, float[] referenceMean)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(referenceMean);
        var proto = ModelProto.Parser.ParseFrom(model);
        var matches = proto.Graph.Initializer
            .Select((t, i) => (Tensor: t, Index: i))
            .Where(t => t.Tensor.Name == ReferenceMeanName || t.Tensor.Name.EndsWith("/" + ReferenceMeanName, StringComparison.Ordinal))
            .ToList();
        if (matches.Count != 1)
        {
            throw new EdgeRuntimeException($"The model has {matches.Count} '{ReferenceMeanName}' initializers, not one: it is not a centred few-shot head.");
        }

        var (tensor, index) = matches[0];
        var length = tensor.Dims.Aggregate(1L, (a, b) => a * b);
        if (length != referenceMean.Length)
        {
            throw new EdgeRuntimeException($"The head's reference mean has {length} values; the new one has {referenceMean.Length}.");
        }

        CheckMean(referenceMean, referenceMean.Length);
        proto.Graph.Initializer[index] = GraphWriter.FloatTensor(tensor.Name, referenceMean, [.. tensor.Dims]);
        return proto.ToByteArray();
    }

    private static void Normalise(Span<double> v)
    {
        double sum = 0;
        foreach (var x in v)
        {
            sum += x * x;
        }

        var norm = Math.Max(Math.Sqrt(sum), NormFloor);
        for (var j = 0; j < v.Length; j++)
        {
            v[j] /= norm;
        }
    }

    private int CheckRows(ReadOnlySpan<float> embeddings)
    {
        if (embeddings.Length % Dimension != 0)
        {
            throw new EdgeRuntimeException(string.Create(CultureInfo.InvariantCulture, $"{embeddings.Length} values are not whole {Dimension}-d embeddings."));
        }

        return embeddings.Length / Dimension;
    }

    private static void CheckMean(float[] mean, int dimension)
    {
        if (mean.Length != dimension)
        {
            throw new EdgeRuntimeException(string.Create(CultureInfo.InvariantCulture, $"The reference mean must have {dimension} values, not {mean.Length}."));
        }

        if (mean.Any(v => !float.IsFinite(v)))
        {
            throw new EdgeRuntimeException("The reference mean has non-finite values.");
        }
    }
}
