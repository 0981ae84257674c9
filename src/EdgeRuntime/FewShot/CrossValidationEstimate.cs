using System.Globalization;

namespace EdgeRuntime.FewShot;

/// <summary>
/// Accuracy estimated by k-fold cross-validation: mean over folds ± standard error (fold standard deviation / √k),
/// and the mean held-out log-loss (negative log-probability of the true class), which selection ranks by.
/// </summary>
public sealed record CrossValidationEstimate(double Mean, double StandardError, IReadOnlyList<double> FoldAccuracies, double LogLoss)
{
    public int Folds => FoldAccuracies.Count;

    public static CrossValidationEstimate Of(IReadOnlyList<double> foldAccuracies, double logLoss)
    {
        ArgumentNullException.ThrowIfNull(foldAccuracies);
        var k = foldAccuracies.Count;
        var mean = foldAccuracies.Average();
        var variance = k > 1 ? foldAccuracies.Sum(a => (a - mean) * (a - mean)) / (k - 1) : 0;
        return new CrossValidationEstimate(mean, Math.Sqrt(variance / k), [.. foldAccuracies], logLoss);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Mean:P1} ± {StandardError:P1} ({Folds}-fold CV)");
}
