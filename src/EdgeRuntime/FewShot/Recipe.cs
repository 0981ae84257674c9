using System.Globalization;
using EdgeRuntime.Augmentation;
using EdgeRuntime.Features;

namespace EdgeRuntime.FewShot;

/// <summary>
/// Everything that decides a few-shot head given its samples: transform, family, the family's regularisation
/// (AdamW weight decay for softmax parts, covariance shrinkage for the discriminant) and the augmented view kinds
/// trained on.
/// </summary>
public sealed record Recipe(FeatureTransformKind Transform, HeadFamily Family, float WeightDecay, Shrinkage Shrinkage, ViewKinds Views)
{
    public override string ToString()
    {
        var regularisation = Family switch
        {
            HeadFamily.Linear or HeadFamily.Hidden => string.Create(CultureInfo.InvariantCulture, $"weight decay {WeightDecay:G3}"),
            HeadFamily.Discriminant => $"shrinkage {Shrinkage}",
            HeadFamily.Ensemble => string.Create(CultureInfo.InvariantCulture, $"weight decay {WeightDecay:G3}, shrinkage {Shrinkage}"),
            _ => "no training",
        };
        return $"{Family} on {Transform} ({regularisation}; views: {(Views == ViewKinds.None ? "none" : Views.ToString())})";
    }
}
