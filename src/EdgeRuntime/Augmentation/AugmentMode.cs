namespace EdgeRuntime.Augmentation;

/// <summary>Whether training uses one kind of augmented view.</summary>
public enum AugmentMode
{
    /// <summary>Kept only if cross-validation says it helps.</summary>
    Auto = 0,

    On = 1,

    Off = 2,
}
