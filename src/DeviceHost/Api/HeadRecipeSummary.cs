using EdgeRuntime.Heads;

namespace DeviceHost.Api;

/// <summary>How a head was made and its cross-validation estimate (null accuracy for an instant head), as the API shows it.</summary>
public sealed record HeadRecipeSummary(string Description, bool Instant, double? CrossValidationAccuracy, double? CrossValidationStandardError, int Folds, int TrainSamples)
{
    public static HeadRecipeSummary? From(HeadRecipe? recipe) => recipe is null ? null
        : new HeadRecipeSummary(recipe.Description, recipe.Instant, recipe.CrossValidationAccuracy, recipe.CrossValidationStandardError, recipe.Folds, recipe.TrainSamples);
}
