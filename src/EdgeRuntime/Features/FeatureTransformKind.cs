namespace EdgeRuntime.Features;

/// <summary>
/// How a head sees an embedding before its classifier (SimpleShot, Wang et al. 2019; LP++, Huang et al. 2024).
/// Every kind ends in unit length, except <see cref="None"/>.
/// </summary>
public enum FeatureTransformKind
{
    /// <summary>The raw embedding.</summary>
    None = 0,

    /// <summary>x / ‖x‖.</summary>
    L2 = 1,

    /// <summary>u = x / ‖x‖, then (u − m) / ‖u − m‖ with m the reference mean of u.</summary>
    CenteredL2 = 2,

    /// <summary>
    /// p = sign(x)·√|x| (pooled ResNet features are non-negative, so this is √x), u = p / ‖p‖, then (u − m) / ‖u − m‖
    /// with m the reference mean of u. The square root evens out the heavy-tailed activations.
    /// </summary>
    PowerCenteredL2 = 3,
}
