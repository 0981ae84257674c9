namespace EdgeRuntime.Training;

/// <summary>Metrics after one epoch.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainLoss">Mean minibatch loss of the epoch (smoothed, weighted, with dropout), before each update.</param>
/// <param name="HoldoutLoss">Mean unsmoothed, unweighted cross-entropy on the holdout set after the epoch.</param>
/// <param name="HoldoutAccuracy">Fraction of holdout samples classified correctly, 0..1.</param>
public readonly record struct TrainingProgress(int Epoch, float TrainLoss, float HoldoutLoss, float HoldoutAccuracy);
