using EdgeRuntime.Training;

namespace EdgeRuntime.FewShot;

/// <summary>
/// A fitted shrinkage discriminant: logits = f·W + b on transformed features f, W = Σ⁻¹·M (D × K, row-major),
/// b_k = −½ μ_kᵀ Σ⁻¹ μ_k (uniform priors); <see cref="Intensity"/> is the α used.
/// </summary>
public sealed record DiscriminantFit(double[] Weights, double[] Bias, int Dimension, int ClassCount, double Intensity)
{
    /// <summary>The same scores as a linear head (float parameters), so it exports and merges like any other head.</summary>
    public TrainedHead ToHead()
    {
        var shape = new HeadShape(HeadKind.Linear, Dimension, ClassCount);
        return new TrainedHead(shape, [[.. Weights.Select(w => (float)w)], [.. Bias.Select(b => (float)b)]], AdamState.Zero(shape), 0, []);
    }
}
