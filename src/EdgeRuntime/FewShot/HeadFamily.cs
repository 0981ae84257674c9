namespace EdgeRuntime.FewShot;

/// <summary>The classifier families a few-shot head can be, all behind the same <see cref="Features.FeatureTransform"/>.</summary>
public enum HeadFamily
{
    /// <summary>Softmax regression trained by AdamW (imprinted start).</summary>
    Linear = 0,

    /// <summary>One hidden ReLU layer, softmax, trained by AdamW.</summary>
    Hidden = 1,

    /// <summary>Closed-form shrinkage linear discriminant (<see cref="ShrinkageDiscriminant"/>).</summary>
    Discriminant = 2,

    /// <summary>The average of the Linear and the Discriminant heads' probabilities.</summary>
    Ensemble = 3,

    /// <summary>Weight imprinting only (no gradient steps): the instant head of a new class.</summary>
    Imprinted = 4,
}
