using EdgeRuntime.Augmentation;

namespace EdgeRuntime.Calibration;

/// <summary>
/// <c>Calibration:Augment</c>: per view kind, whether training uses it. Which views preserve a label is domain
/// knowledge, so each is On, Off or Auto (kept unless cross-validation says it lowers accuracy).
/// </summary>
public sealed class AugmentOptions
{
    public AugmentMode Mirror { get; set; } = AugmentMode.Auto;

    public AugmentMode Crop { get; set; } = AugmentMode.Auto;

    public AugmentMode Colour { get; set; } = AugmentMode.Auto;

    /// <summary>The kinds not switched off.</summary>
    public ViewKinds Enabled =>
        (Mirror != AugmentMode.Off ? ViewKinds.Mirror : ViewKinds.None)
        | (Crop != AugmentMode.Off ? ViewKinds.Crop : ViewKinds.None)
        | (Colour != AugmentMode.Off ? ViewKinds.Colour : ViewKinds.None);

    internal string? Validate()
    {
        foreach (var (name, mode) in new[] { ("Mirror", Mirror), ("Crop", Crop), ("Colour", Colour) })
        {
            if (!Enum.IsDefined(mode))
            {
                return $"Calibration:Augment:{name} must be On, Off or Auto, not {(int)mode}.";
            }
        }

        return null;
    }
}
