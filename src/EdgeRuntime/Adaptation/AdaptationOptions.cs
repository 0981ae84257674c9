namespace EdgeRuntime.Adaptation;

/// <summary>Unsupervised adaptation to a new camera. Bound from <c>Calibration:Adaptation</c>.</summary>
public sealed class AdaptationOptions
{
    /// <summary>Fewer unlabelled frames than this give a mean too noisy to re-centre on.</summary>
    public int MinimumFrames { get; set; } = 32;

    /// <summary>Frames used at most (the newest when more are offered).</summary>
    public int MaximumFrames { get; set; } = 1000;

    /// <summary>
    /// Images of a folder (<c>adapt FOLDER</c>, <c>POST /adapt {"folder"}</c>) embedded at most: evenly spaced over the
    /// sorted file names, so a folder of a day's frames is sampled across the day, not its first hour, and embedding
    /// stays bounded (a backbone pass per image) however big the folder is.
    /// </summary>
    public int MaxImages { get; set; } = 1000;

    /// <summary>
    /// Also align second-order statistics (CORAL) instead of re-centring only, for heads whose first layer takes raw
    /// embeddings; a few-shot head re-centres its feature transform whatever this says (and refuses an explicit CORAL request).
    /// </summary>
    public bool Coral { get; set; }

    /// <summary>One round of confident pseudo-labels after the alignment (every head kind; a few-shot head refits its recipe on them).</summary>
    public bool PseudoLabels { get; set; } = true;

    /// <summary>Top probability a frame needs to become a pseudo-label, and to count as confident for the gate.</summary>
    public double Confidence { get; set; } = 0.9;

    /// <summary>
    /// Epochs of a softmax head's pseudo-label round (early stopping on the calibration holdout still applies); a few-shot
    /// head's round refits its own recipe with its own step budget (<c>Calibration:SoftmaxSteps</c>).
    /// </summary>
    public int PseudoLabelEpochs { get; set; } = 30;

    /// <summary>Share of the previous head's confident frames the new head must agree with.</summary>
    public double MinimumAgreement { get; set; } = 0.6;

    /// <summary>The share of frames flagged unknown may grow by at most this much.</summary>
    public double MaximumNoveltyIncrease { get; set; } = 0.02;

    /// <summary>With at least this many labelled samples from the new camera, their accuracy decides.</summary>
    public int MinimumLabelled { get; set; } = 3;

    /// <summary>The new head may be this much less accurate on those labelled samples and still activate.</summary>
    public double LabelledTolerance { get; set; } = 0.02;

    /// <summary>The first problem, naming the key, or null.</summary>
    public string? Validate() =>
        MinimumFrames < 2 || MaximumFrames < MinimumFrames ? $"Calibration:Adaptation:MinimumFrames must be at least 2 and Calibration:Adaptation:MaximumFrames at least that (got {MinimumFrames}, {MaximumFrames})."
        : MaxImages < MinimumFrames || MaxImages > 1_000_000 ? $"Calibration:Adaptation:MaxImages must be at least Calibration:Adaptation:MinimumFrames ({MinimumFrames}; fewer images could never be adapted to) and at most 1000000, not {MaxImages}."
        : Confidence is <= 0 or >= 1 ? $"Calibration:Adaptation:Confidence must be within (0, 1), not {Confidence}."
        : MinimumAgreement is < 0 or > 1 ? $"Calibration:Adaptation:MinimumAgreement must be 0..1, not {MinimumAgreement}."
        : PseudoLabelEpochs < 1 ? $"Calibration:Adaptation:PseudoLabelEpochs must be at least 1, not {PseudoLabelEpochs}."
        : null;
}
