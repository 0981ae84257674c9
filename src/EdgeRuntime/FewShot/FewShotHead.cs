using EdgeRuntime.Features;
using EdgeRuntime.Training;
using Google.Protobuf;

namespace EdgeRuntime.FewShot;

/// <summary>
/// A deployable head: a <see cref="FeatureTransform"/> on the raw embedding, then one or more classifier parts whose
/// softmax probabilities are averaged (one part for every family but <see cref="HeadFamily.Ensemble"/>). Every part
/// is a <see cref="TrainedHead"/> (linear or hidden) on transformed features. Immutable.
/// </summary>
public sealed class FewShotHead
{
    public FewShotHead(FeatureTransform transform, HeadFamily family, IReadOnlyList<TrainedHead> parts)
    {
        ArgumentNullException.ThrowIfNull(transform);
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0 || parts.Any(p => p is null || p.Dimension != transform.Dimension || p.ClassCount != parts[0].ClassCount))
        {
            throw new EdgeRuntimeException($"A few-shot head needs at least one part, each taking {transform.Dimension}-d features and giving the same classes.");
        }

        Transform = transform;
        Family = family;
        Parts = parts;
    }

    public FeatureTransform Transform { get; }

    public HeadFamily Family { get; }

    public IReadOnlyList<TrainedHead> Parts { get; }

    public int Dimension => Transform.Dimension;

    public int ClassCount => Parts[0].ClassCount;

    /// <summary>Class probabilities (count × K, row-major) of raw embeddings (count × D), computed in float64: the engine's reference.</summary>
    public double[] Probabilities(ReadOnlySpan<float> embeddings)
    {
        var features = Transform.ApplyAll(embeddings);
        var count = features.Length / Dimension;
        var result = new double[count * ClassCount];
        foreach (var part in Parts)
        {
            var p = PartProbabilities(part, features, count);
            for (var i = 0; i < result.Length; i++)
            {
                result[i] += p[i] / Parts.Count;
            }
        }

        return result;
    }

    /// <summary>Most probable class per row.</summary>
    public int[] Predict(ReadOnlySpan<float> embeddings)
    {
        var p = Probabilities(embeddings);
        var k = ClassCount;
        return [.. Enumerable.Range(0, p.Length / k).Select(n =>
        {
            var best = 0;
            for (var c = 1; c < k; c++)
            {
                best = p[(n * k) + c] > p[(n * k) + best] ? c : best;
            }

            return best;
        })];
    }

    /// <summary>The ONNX head ("embedding" [N, D] → "probabilities" [N, K]); see <see cref="FewShotHeadBuilder"/>.</summary>
    public byte[] ToInferenceModel(long opset = InferenceHeadBuilder.DefaultOpset, long irVersion = InferenceHeadBuilder.DefaultIrVersion) =>
        FewShotHeadBuilder.Build(this, opset, irVersion).ToByteArray();

    /// <summary>The same classifier re-centred on <paramref name="referenceMean"/> (see <see cref="FeatureTransform.WithReferenceMean"/>).</summary>
    public FewShotHead WithReferenceMean(float[] referenceMean) => new(Transform.WithReferenceMean(referenceMean), Family, Parts);

    /// <summary>
    /// Folds an affine map of the transformed features, f' = A·f + c (A: D × D row-major, c: D), into the first layer of
    /// every part: W ← Aᵀ·W, b ← b + Wᵀ·c. This is how a feature alignment such as CORAL composes with the head at
    /// no per-frame cost: learn A and c on transformed features (field → training statistics), then fold them in.
    /// The transform, and so <see cref="WithReferenceMean"/>, is unaffected.
    /// </summary>
    public FewShotHead WithFeatureMap(double[] a, double[] c)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(c);
        var d = Dimension;
        if (a.Length != d * d || c.Length != d || a.Concat(c).Any(v => !double.IsFinite(v)))
        {
            throw new EdgeRuntimeException($"A feature map needs a finite {d} × {d} matrix and a {d}-vector.");
        }

        var parts = Parts.Select(part =>
        {
            var w = part.Parameters[0];
            var width = (int)part.Shape.ParameterDims(0)[1];
            var folded = new float[w.Length];
            var bias = part.Parameters[1].Select(v => (double)v).ToArray();
            for (var i = 0; i < d; i++)
            {
                for (var h = 0; h < width; h++)
                {
                    double sum = 0;
                    for (var j = 0; j < d; j++)
                    {
                        sum += a[(j * d) + i] * w[(j * width) + h];
                    }

                    folded[(i * width) + h] = (float)sum;
                    bias[h] += w[(i * width) + h] * c[i];
                }
            }

            var parameters = part.Parameters.ToArray();
            parameters[0] = folded;
            parameters[1] = [.. bias.Select(v => (float)v)];
            return new TrainedHead(part.Shape, parameters, AdamState.Zero(part.Shape), part.BestEpoch, part.History);
        }).ToList();
        return new FewShotHead(Transform, Family, parts);
    }

    /// <summary>Serialises to the format documented on <see cref="FewShotHeadCheckpoint"/>.</summary>
    public byte[] ToCheckpoint() => FewShotHeadCheckpoint.Write(this);

    internal static double[] PartProbabilities(TrainedHead part, ReadOnlySpan<double> features, int count)
    {
        var k = part.ClassCount;
        var input = features;
        var width = part.Dimension;
        var layer = 0;
        double[] activations = [];
        if (part.Kind == HeadKind.Hidden)
        {
            activations = Affine(input, count, width, part.Parameters[0], part.Parameters[1], part.Shape.HiddenSize, relu: true);
            input = activations;
            width = part.Shape.HiddenSize;
            layer = 2;
        }

        var logits = Affine(input, count, width, part.Parameters[layer], part.Parameters[layer + 1], k, relu: false);
        for (var n = 0; n < count; n++)
        {
            var row = logits.AsSpan(n * k, k);
            var max = double.NegativeInfinity;
            foreach (var v in row)
            {
                max = Math.Max(max, v);
            }

            double sum = 0;
            for (var c = 0; c < k; c++)
            {
                row[c] = Math.Exp(row[c] - max);
                sum += row[c];
            }

            for (var c = 0; c < k; c++)
            {
                row[c] /= sum;
            }
        }

        return logits;
    }

    private static double[] Affine(ReadOnlySpan<double> x, int count, int inWidth, float[] w, float[] b, int outWidth, bool relu)
    {
        var result = new double[count * outWidth];
        for (var n = 0; n < count; n++)
        {
            var row = result.AsSpan(n * outWidth, outWidth);
            for (var o = 0; o < outWidth; o++)
            {
                row[o] = b[o];
            }

            for (var i = 0; i < inWidth; i++)
            {
                var xi = x[(n * inWidth) + i];
                if (xi == 0)
                {
                    continue;
                }

                for (var o = 0; o < outWidth; o++)
                {
                    row[o] += xi * w[(i * outWidth) + o];
                }
            }

            if (relu)
            {
                for (var o = 0; o < outWidth; o++)
                {
                    row[o] = Math.Max(row[o], 0);
                }
            }
        }

        return result;
    }
}
