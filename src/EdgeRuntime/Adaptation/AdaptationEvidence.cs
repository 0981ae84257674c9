namespace EdgeRuntime.Adaptation;

/// <summary>What an adaptation did and what its gate saw; recorded in the new head's manifest.</summary>
/// <param name="BaseVersion">The trained head whose weights were aligned (adaptations never stack).</param>
/// <param name="PreviousVersion">The head active before, compared with.</param>
/// <param name="Frames">Unlabelled frames used.</param>
/// <param name="Source">Where they came from: "folder" or "live".</param>
/// <param name="MeanShift">‖m_target − m_source‖ / ‖m_source‖ of the raw embeddings.</param>
/// <param name="Coral">Whether covariances were aligned too.</param>
/// <param name="PseudoLabelled">Frames used as pseudo-labels (0 when the round was off or none was confident).</param>
/// <param name="ConfidentFrames">Frames the previous head was confident on.</param>
/// <param name="Agreement">Share of those the new head gives the same class; null without confident frames.</param>
/// <param name="NoveltyBefore">Share of frames the previous head flags unknown.</param>
/// <param name="NoveltyAfter">Share the new head flags unknown.</param>
/// <param name="LabelledSamples">Labelled samples from the new camera (stored after the previous head).</param>
/// <param name="AccuracyBefore">Previous head's accuracy on them; null without any.</param>
/// <param name="AccuracyAfter">New head's accuracy on them.</param>
/// <param name="Accepted">The gate's verdict.</param>
/// <param name="Reason">Why, with the numbers.</param>
/// <param name="InputMean">m_target: the raw embedding mean the new head is centred on.</param>
/// <param name="ImagesFound">Images in the folder the frames were chosen from (<see cref="Frames"/> of them used); null for live frames.</param>
public sealed record AdaptationEvidence(
    int BaseVersion,
    int PreviousVersion,
    int Frames,
    string Source,
    double MeanShift,
    bool Coral,
    int PseudoLabelled,
    int ConfidentFrames,
    double? Agreement,
    double NoveltyBefore,
    double NoveltyAfter,
    int LabelledSamples,
    double? AccuracyBefore,
    double? AccuracyAfter,
    bool Accepted,
    string Reason,
    IReadOnlyList<float> InputMean,
    int? ImagesFound = null);
