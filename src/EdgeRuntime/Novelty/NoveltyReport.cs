namespace EdgeRuntime.Novelty;

/// <summary>
/// What the head manifest records about its novelty score: which score ships, its threshold, the validation that
/// chose them (leave-one-class-out on the stored samples) and the drift monitor's reference threshold.
/// </summary>
public sealed record NoveltyReport
{
    /// <summary>The score each prediction's <c>novelty</c> is.</summary>
    public required NoveltyScoreKind Kind { get; init; }

    /// <summary>Predictions with novelty at or above this are "unknown".</summary>
    public required float Threshold { get; init; }

    /// <summary>The share of known samples the threshold was set to flag (<c>Calibration:UnknownFalseRejectRate</c>).</summary>
    public required double FalseRejectTarget { get; init; }

    /// <summary>Validation AUROC of the shipped score (known classes vs the left-out class).</summary>
    public required double ValidationAuroc { get; init; }

    /// <summary>Every candidate's validation result; the shipped one among them.</summary>
    public required IReadOnlyList<NoveltyCandidate> Candidates { get; init; }

    /// <summary>Number of leave-one-class-out folds (one per class).</summary>
    public required int Folds { get; init; }

    /// <summary>Known and left-out validation samples, pooled over folds.</summary>
    public required int KnownSamples { get; init; }

    public required int NovelSamples { get; init; }

    /// <summary>Threshold of the drift monitor's embedding-shift statistic (see <c>DriftMonitor</c>).</summary>
    public required float ShiftThreshold { get; init; }
}
