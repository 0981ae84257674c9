using System.Globalization;

namespace EdgeRuntime.Training;

/// <summary>Hyper-parameters of one head training run. Defaults suit a linear head on 512-d ResNet-18 embeddings.</summary>
public sealed record TrainingSettings
{
    public HeadKind HeadKind { get; init; } = HeadKind.Linear;

    /// <summary>Hidden width of a <see cref="HeadKind.Hidden"/> head.</summary>
    public int HiddenSize { get; init; } = 128;

    /// <summary>Maximum number of passes over the training set.</summary>
    public int Epochs { get; init; } = 100;

    public int BatchSize { get; init; } = 32;

    public float LearningRate { get; init; } = 0.01f;

    /// <summary>Decoupled (AdamW) weight decay, applied to weight matrices only.</summary>
    public float WeightDecay { get; init; } = 1e-4f;

    /// <summary>Label smoothing ε: targets are (1-ε)·onehot + ε/K.</summary>
    public float LabelSmoothing { get; init; }

    /// <summary>Dropout probability on the hidden layer (ignored by linear heads).</summary>
    public float Dropout { get; init; } = 0.2f;

    public ClassWeighting ClassWeighting { get; init; } = ClassWeighting.None;

    /// <summary>Stop after this many epochs without a better holdout loss and restore the best epoch; 0 disables.</summary>
    public int EarlyStoppingPatience { get; init; } = 10;

    /// <summary>A holdout loss counts as better only when it beats the best by more than this (0: any decrease).</summary>
    public float EarlyStoppingMinDelta { get; init; }

    /// <summary>Seeds initialisation, shuffling and dropout: the same seed and data give bit-identical heads.</summary>
    public int Seed { get; init; }

    public float Beta1 { get; init; } = 0.9f;

    public float Beta2 { get; init; } = 0.999f;

    public float Epsilon { get; init; } = 1e-8f;

    /// <summary>Returns the first invalid setting, named, or null.</summary>
    public string? Validate()
    {
        static string Bad(string name, object value, string rule) =>
            string.Create(CultureInfo.InvariantCulture, $"Training setting {name} = {value} is invalid: {rule}.");

        return this switch
        {
            { HeadKind: not (HeadKind.Linear or HeadKind.Hidden) } => Bad(nameof(HeadKind), HeadKind, "unknown head kind"),
            { HeadKind: HeadKind.Hidden, HiddenSize: < 1 } => Bad(nameof(HiddenSize), HiddenSize, "must be positive"),
            { Epochs: < 1 } => Bad(nameof(Epochs), Epochs, "must be positive"),
            { BatchSize: < 1 } => Bad(nameof(BatchSize), BatchSize, "must be positive"),
            _ when !(LearningRate > 0 && float.IsFinite(LearningRate)) => Bad(nameof(LearningRate), LearningRate, "must be a positive number"),
            _ when !(WeightDecay >= 0 && float.IsFinite(WeightDecay)) => Bad(nameof(WeightDecay), WeightDecay, "must be 0 or positive"),
            _ when !(LabelSmoothing >= 0 && LabelSmoothing < 1) => Bad(nameof(LabelSmoothing), LabelSmoothing, "must be in [0, 1)"),
            _ when !(Dropout >= 0 && Dropout < 1) => Bad(nameof(Dropout), Dropout, "must be in [0, 1)"),
            { ClassWeighting: not (ClassWeighting.None or ClassWeighting.Balanced) } => Bad(nameof(ClassWeighting), ClassWeighting, "unknown mode"),
            _ when !(EarlyStoppingMinDelta >= 0 && float.IsFinite(EarlyStoppingMinDelta)) => Bad(nameof(EarlyStoppingMinDelta), EarlyStoppingMinDelta, "must be 0 or positive"),
            { EarlyStoppingPatience: < 0 } => Bad(nameof(EarlyStoppingPatience), EarlyStoppingPatience, "must be 0 (off) or positive"),
            _ when !(Beta1 >= 0 && Beta1 < 1) => Bad(nameof(Beta1), Beta1, "must be in [0, 1)"),
            _ when !(Beta2 >= 0 && Beta2 < 1) => Bad(nameof(Beta2), Beta2, "must be in [0, 1)"),
            _ when !(Epsilon > 0 && float.IsFinite(Epsilon)) => Bad(nameof(Epsilon), Epsilon, "must be positive"),
            _ => null,
        };
    }
}
