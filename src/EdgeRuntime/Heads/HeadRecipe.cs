namespace EdgeRuntime.Heads;

/// <summary>
/// How a few-shot head was made and what cross-validation estimated for it, as recorded in its manifest
/// (<c>recipe</c>). <see cref="OutOfFold"/> keeps, per training sample, the prediction of the fold head that did not
/// train on it: when this head is active and a new one is judged, those are its unseen-data predictions for the samples
/// it trained on (see docs/few-shot-heads.md, "The gate's data").
/// </summary>
public sealed record HeadRecipe
{
    /// <summary>Readable recipe, e.g. "Discriminant on PowerCenteredL2 (shrinkage 0.7; views: Mirror)".</summary>
    public required string Description { get; init; }

    /// <summary>Head family: Linear, Hidden, Discriminant, Ensemble or Imprinted.</summary>
    public required string Family { get; init; }

    /// <summary>Feature transform: None, L2, CenteredL2, PowerCenteredL2.</summary>
    public required string FeatureTransform { get; init; }

    /// <summary>AdamW weight decay of softmax parts; null when the family has none.</summary>
    public double? WeightDecay { get; init; }

    /// <summary>Covariance shrinkage of the discriminant ("0.7" or "OAS"); null when the family has none.</summary>
    public string? Shrinkage { get; init; }

    /// <summary>Augmented view kinds trained on ("None", "Mirror, Crop", ...).</summary>
    public required string Views { get; init; }

    /// <summary>True for an instant (imprinted, untrained) head; a full training should follow.</summary>
    public bool Instant { get; init; }

    /// <summary>Original samples the deployed head was trained on (every one, unless an explicit holdout is kept).</summary>
    public required int TrainSamples { get; init; }

    /// <summary>Augmented view rows trained on besides the originals.</summary>
    public int AugmentedRows { get; init; }

    /// <summary>Cross-validation accuracy (mean over folds); null when CV was impossible (instant head).</summary>
    public double? CrossValidationAccuracy { get; init; }

    /// <summary>Standard error of <see cref="CrossValidationAccuracy"/> (fold standard deviation / √folds).</summary>
    public double? CrossValidationStandardError { get; init; }

    public int Folds { get; init; }

    public int Seed { get; init; }

    /// <summary>Why there is no CV estimate, when there is none.</summary>
    public string? NoEstimateReason { get; init; }

    /// <summary>Out-of-fold prediction per training sample.</summary>
    public IReadOnlyList<SamplePrediction> OutOfFold { get; init; } = [];
}
