namespace EdgeRuntime.Evaluation;

/// <summary>What the evaluation gate needs to judge a candidate head.</summary>
public sealed record GateInput
{
    /// <summary>The candidate's metrics on the holdout set.</summary>
    public required ClassificationMetrics Candidate { get; init; }

    /// <summary>The active head measured on the same holdout set; null when no head is active yet.</summary>
    public ActiveHeadEvaluation? Active { get; init; }

    /// <summary>Activate whatever the comparison says (recorded in the decision).</summary>
    public bool Force { get; init; }
}
