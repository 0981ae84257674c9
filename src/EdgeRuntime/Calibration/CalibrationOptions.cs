using EdgeRuntime.Features;
using EdgeRuntime.Adaptation;
using EdgeRuntime.Novelty;
using EdgeRuntime.Training;

namespace EdgeRuntime.Calibration;

/// <summary>How samples are split, heads trained and judged. Bound from the <c>Calibration</c> section.</summary>
public sealed class CalibrationOptions
{
    /// <summary>Share of each class the store marks as holdout; used only with <see cref="ExplicitHoldout"/>.</summary>
    public double HoldoutShare { get; set; } = 0.2;

    /// <summary>
    /// Keep the store's holdout split out of training as an explicit set (for a report a technician signs). Off by
    /// default: the head trains on every sample and the gate uses cross-validation (docs/few-shot-heads.md).
    /// </summary>
    public bool ExplicitHoldout { get; set; }

    /// <summary>Feature transform of every head (chosen by the Fashion-MNIST benchmark, see README).</summary>
    public FeatureTransformKind FeatureTransform { get; set; } = FeatureTransformKind.PowerCenteredL2;

    /// <summary>Which augmented view kinds training uses.</summary>
    public AugmentOptions Augment { get; set; } = new();

    /// <summary>Cross-validation folds for recipe selection (fewer when the smallest class is smaller).</summary>
    public int CrossValidationFolds { get; set; } = 5;

    /// <summary>Head trained when a request does not say.</summary>
    public HeadKind HeadKind { get; set; } = HeadKind.Linear;

    public int HiddenSize { get; set; } = 128;

    /// <summary>Most passes over the samples in one softmax fit.</summary>
    public int Epochs { get; set; } = 100;

    /// <summary>AdamW updates per softmax fit (a fixed budget: no samples are held back for early stopping).</summary>
    public int SoftmaxSteps { get; set; } = 300;

    public int BatchSize { get; set; } = 32;

    public float LearningRate { get; set; } = 0.01f;

    public float WeightDecay { get; set; } = 1e-4f;

    public float LabelSmoothing { get; set; } = 0.05f;

    public float Dropout { get; set; } = 0.2f;

    public ClassWeighting ClassWeighting { get; set; } = ClassWeighting.Balanced;

    public int EarlyStoppingPatience { get; set; } = 8;

    public int Seed { get; set; } = 42;

    /// <summary>0 disables augmented views whatever <see cref="Augment"/> says; any other value lets it decide (one view per kind).</summary>
    public int AugmentedViews { get; set; } = 4;

    /// <summary>Augment only while a data set has fewer training images than this: big sets do not need it.</summary>
    public int AugmentBelowSamples { get; set; } = 300;

    /// <summary>A new head may be this much less accurate on the holdout than the active one and still be activated.</summary>
    public double GateTolerance { get; set; } = 0.02;

    /// <summary>Head versions kept on disk (the active one and its rollback target are always kept).</summary>
    public int KeepHeads { get; set; } = 10;

    /// <summary>Overrides the per-head unknown threshold chosen from holdout data; null keeps the chosen one.</summary>
    public double? UnknownThreshold { get; set; }

    /// <summary>Share of known samples a head's novelty threshold may flag as unknown (leave-one-class-out validation).</summary>
    public double UnknownFalseRejectRate { get; set; } = 0.05;

    /// <summary>
    /// Whether a head's novelty model may call a frame "unknown" on the device. False suits a closed-world line where
    /// every item belongs to a class: the score still reaches predictions, the review queue and drift, and only the
    /// confidence threshold (<see cref="UnknownThreshold"/> or the head's own) decides.
    /// </summary>
    public bool NoveltyRejects { get; set; } = true;

    /// <summary>The novelty score to ship; null picks the best by validation AUROC per head.</summary>
    public NoveltyScoreKind? NoveltyScore { get; set; }

    /// <summary>Unsupervised adaptation to a new camera (<c>Calibration:Adaptation</c>).</summary>
    public AdaptationOptions Adaptation { get; set; } = new();

    public TrainingSettings ToTrainingSettings(HeadKind? kind) => new()
    {
        HeadKind = kind ?? HeadKind,
        HiddenSize = HiddenSize,
        Epochs = Epochs,
        BatchSize = BatchSize,
        LearningRate = LearningRate,
        WeightDecay = WeightDecay,
        LabelSmoothing = LabelSmoothing,
        Dropout = Dropout,
        ClassWeighting = ClassWeighting,
        EarlyStoppingPatience = EarlyStoppingPatience,
        EarlyStoppingMinDelta = 1e-4f,
        Seed = Seed,
    };

    /// <summary>The first problem, naming the key, or null.</summary>
    public string? Validate()
    {
        if (HoldoutShare is <= 0 or > 0.9)
        {
            return $"Calibration:HoldoutShare must be above 0 and at most 0.9, not {HoldoutShare}.";
        }

        if (GateTolerance is < 0 or > 1)
        {
            return $"Calibration:GateTolerance must be 0..1, not {GateTolerance}.";
        }

        if (KeepHeads < 2)
        {
            return $"Calibration:KeepHeads must be at least 2 (active and rollback target), not {KeepHeads}.";
        }

        if (AugmentedViews is < 0 or > 16)
        {
            return $"Calibration:AugmentedViews must be 0..16, not {AugmentedViews}.";
        }

        if (!Enum.IsDefined(FeatureTransform))
        {
            return $"Calibration:FeatureTransform must be None, L2, CenteredL2 or PowerCenteredL2, not {(int)FeatureTransform}.";
        }

        if (SoftmaxSteps < 1)
        {
            return $"Calibration:SoftmaxSteps must be positive, not {SoftmaxSteps}.";
        }

        if (CrossValidationFolds is < 2 or > 20)
        {
            return $"Calibration:CrossValidationFolds must be 2..20, not {CrossValidationFolds}.";
        }

        if (Augment is null)
        {
            return "Calibration:Augment must be a section with Mirror, Crop and Colour (On, Off or Auto).";
        }

        if (Augment.Validate() is { } augment)
        {
            return augment;
        }

        if (UnknownFalseRejectRate is <= 0 or > 0.5)
        {
            return $"Calibration:UnknownFalseRejectRate must be above 0 and at most 0.5, not {UnknownFalseRejectRate}.";
        }

        if (UnknownThreshold is < 0 or > 1)
        {
            return $"Calibration:UnknownThreshold must be 0..1, not {UnknownThreshold}.";
        }

        if (Adaptation.Validate() is { } adaptation)
        {
            return adaptation;
        }

        return ToTrainingSettings(null).Validate() is { } problem ? "Calibration: " + problem : null;
    }
}
