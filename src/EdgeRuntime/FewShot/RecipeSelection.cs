namespace EdgeRuntime.FewShot;

/// <summary>
/// The recipe cross-validation chose, its estimate, every candidate scored (in evaluation order), and the chosen
/// recipe's out-of-fold probabilities: row i (K values) for original sample i, from the fold head that did not train
/// on it - the unseen-data predictions the gate and the unknown threshold use.
/// </summary>
public sealed record RecipeSelection(Recipe Recipe, CrossValidationEstimate Estimate, IReadOnlyList<ScoredRecipe> Candidates, int Folds, int Seed, double[] OutOfFold);
