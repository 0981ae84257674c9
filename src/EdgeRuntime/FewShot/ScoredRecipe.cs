namespace EdgeRuntime.FewShot;

/// <summary>One candidate recipe and its cross-validation estimate.</summary>
public sealed record ScoredRecipe(Recipe Recipe, CrossValidationEstimate Estimate);
