namespace EdgeRuntime.Augmentation;

/// <summary>
/// Kinds of augmented view. Which of them preserve a label is domain knowledge (a mirrored "3" is not a "3", a
/// mirrored leaf is a leaf), so each is switched on, off or left to cross-validation on its own.
/// </summary>
[Flags]
public enum ViewKinds
{
    None = 0,

    /// <summary>Left-right mirror.</summary>
    Mirror = 1,

    /// <summary>A slightly smaller, shifted crop.</summary>
    Crop = 2,

    /// <summary>Brightness and contrast jitter.</summary>
    Colour = 4,
}
