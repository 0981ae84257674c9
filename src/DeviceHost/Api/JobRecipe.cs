using EdgeRuntime.Heads;

namespace DeviceHost.Api;

/// <summary>
/// The recipe a training job chose, in full (the head history shows <see cref="HeadRecipeSummary"/>); the per-sample
/// out-of-fold answers stay in the head manifest (GET /heads/{version}).
/// </summary>
public sealed record JobRecipe(
    string Description,
    string Family,
    string FeatureTransform,
    double? WeightDecay,
    string? Shrinkage,
    string Views,
    bool Instant,
    int TrainSamples,
    int AugmentedRows,
    double? CrossValidationAccuracy,
    double? CrossValidationStandardError,
    int Folds,
    int Seed,
    string? NoEstimateReason)
{
    public static JobRecipe? From(HeadRecipe? r) => r is null ? null
        : new JobRecipe(r.Description, r.Family, r.FeatureTransform, r.WeightDecay, r.Shrinkage, r.Views, r.Instant, r.TrainSamples, r.AugmentedRows,
            r.CrossValidationAccuracy, r.CrossValidationStandardError, r.Folds, r.Seed, r.NoEstimateReason);
}
