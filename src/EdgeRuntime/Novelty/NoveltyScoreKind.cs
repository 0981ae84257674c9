namespace EdgeRuntime.Novelty;

/// <summary>Candidate novelty scores; each is "higher = less like the training classes".</summary>
public enum NoveltyScoreKind
{
    /// <summary>Smallest squared Mahalanobis distance to a class mean under one shared shrinkage covariance (Mahalanobis++).</summary>
    Mahalanobis,

    /// <summary>Negative log-sum-exp of the shared-covariance discriminant's logits (energy score, Liu et al. 2020).</summary>
    Energy,

    /// <summary>One minus the cosine similarity to the nearest stored training embedding (Sun et al. 2022).</summary>
    Knn,
}
