namespace EdgeRuntime.FewShot;

/// <summary>The recipe cross-validation chose, its estimate, and every candidate scored (in evaluation order).</summary>
public sealed record RecipeSelection(Recipe Recipe, CrossValidationEstimate Estimate, IReadOnlyList<ScoredRecipe> Candidates, int Folds, int Seed);
