using EdgeRuntime.Augmentation;
using EdgeRuntime.Features;

namespace EdgeRuntime.FewShot;

/// <summary>What cross-validation chooses from. Defaults: the benchmark's choice of transform, linear/discriminant/ensemble heads.</summary>
public sealed record RecipeSearchOptions
{
    /// <summary>Folds (fewer when the smallest class has fewer samples; at least 2).</summary>
    public int Folds { get; init; } = 5;

    public int Seed { get; init; }

    public IReadOnlyList<FeatureTransformKind> Transforms { get; init; } = [FeatureTransformKind.PowerCenteredL2];

    /// <summary>Candidate families; <see cref="HeadFamily.Ensemble"/> combines the best Linear and the best Discriminant candidate.</summary>
    public IReadOnlyList<HeadFamily> Families { get; init; } = [HeadFamily.Discriminant, HeadFamily.Linear, HeadFamily.Ensemble];

    public IReadOnlyList<float> WeightDecays { get; init; } = [1e-4f];

    /// <summary>
    /// Fixed intensities, strongest first (ties keep the earlier). On Fashion-MNIST ResNet-18 features the best α fell
    /// from about 0.85 at 5 shots and 0.7 at 20 to 0.3 at 100, and OAS chose too little shrinkage at all of them; it
    /// stays available.
    /// </summary>
    public IReadOnlyList<Shrinkage> Shrinkages { get; init; } = [Shrinkage.Fixed(0.85), Shrinkage.Fixed(0.7), Shrinkage.Fixed(0.5), Shrinkage.Fixed(0.3)];

    public AugmentMode Mirror { get; init; } = AugmentMode.Auto;

    public AugmentMode Crop { get; init; } = AugmentMode.Auto;

    public AugmentMode Colour { get; init; } = AugmentMode.Auto;

    /// <summary>A family's best must beat the incumbent's CV accuracy by more than this to replace it (ties keep the earlier family).</summary>
    public double MinimumGain { get; init; } = 1e-9;

    public AugmentMode ModeOf(ViewKinds kind) => kind switch
    {
        ViewKinds.Mirror => Mirror,
        ViewKinds.Crop => Crop,
        ViewKinds.Colour => Colour,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "one view kind"),
    };
}
