namespace EdgeRuntime.Training;

/// <summary>How per-class loss weights are chosen from the training label counts.</summary>
public enum ClassWeighting
{
    /// <summary>Every example weighs 1.</summary>
    None = 0,

    /// <summary>Inverse frequency: class c weighs N / (K · n_c), so each class contributes equally.</summary>
    Balanced = 1,
}
