using EdgeRuntime.Features;

namespace EdgeRuntime.FewShot;

/// <summary>
/// Training rows under a transform fitted on them (reference mean of the original rows only), in float64 for the
/// closed-form fits and float32 for the ONNX-run trainer; moments are computed on first use.
/// </summary>
internal sealed class PreparedRows
{
    private ClassMoments? _moments;

    public PreparedRows(FeatureTransformKind kind, float[] x, int[] y, int originals, int dimension, int classCount)
    {
        Transform = FeatureTransform.Fit(kind, x.AsSpan(0, originals * dimension), dimension);
        Features = Transform.ApplyAll(x);
        FloatFeatures = [.. Features.Select(v => (float)v)];
        Labels = y;
        ClassCount = classCount;
    }

    /// <summary>
    /// Rows already transformed, each under the transform that fits it (e.g. calibration samples under their reference
    /// mean and a new camera's frames under theirs); <paramref name="transform"/> is the one the head deploys with.
    /// </summary>
    public PreparedRows(FeatureTransform transform, double[] features, int[] y, int classCount)
    {
        Transform = transform;
        Features = features;
        FloatFeatures = [.. features.Select(v => (float)v)];
        Labels = y;
        ClassCount = classCount;
    }

    public FeatureTransform Transform { get; }

    public double[] Features { get; }

    public float[] FloatFeatures { get; }

    public int[] Labels { get; }

    public int ClassCount { get; }

    public int Dimension => Transform.Dimension;

    public ClassMoments Moments
    {
        get
        {
            if (_moments is null)
            {
                _moments = ClassMoments.Empty(Transform, ClassCount);
                _moments.AddFeatures(Features, Labels);
            }

            return _moments;
        }
    }
}
