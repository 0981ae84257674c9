namespace EdgeRuntime.Novelty;

/// <summary>How one candidate score did in leave-one-class-out validation.</summary>
/// <param name="Auroc">Mean over folds of the known-vs-left-out-class AUROC.</param>
/// <param name="Threshold">Score at the target false-reject rate on the pooled known validation samples.</param>
/// <param name="FlaggedShare">Share of left-out-class samples at or above <paramref name="Threshold"/>.</param>
public sealed record NoveltyCandidate(NoveltyScoreKind Kind, double Auroc, float Threshold, double FlaggedShare);
