namespace EdgeRuntime.Evaluation;

/// <summary>The evaluation gate's verdict on a candidate head, stored in its manifest.</summary>
public sealed record GateDecision
{
    /// <summary>Activate or keep the current head.</summary>
    public required GateOutcome Outcome { get; init; }

    /// <summary>Human-readable reason, with the numbers compared.</summary>
    public required string Reason { get; init; }

    /// <summary>True when activation was forced regardless of the comparison.</summary>
    public bool Forced { get; init; }

    /// <summary>The active version compared with; null for the first head ever.</summary>
    public int? ComparedWithVersion { get; init; }

    /// <summary>Candidate holdout accuracy on the compared classes; null when nothing was compared.</summary>
    public double? CandidateAccuracy { get; init; }

    /// <summary>Active head's holdout accuracy on the compared classes; null when nothing was compared.</summary>
    public double? ActiveAccuracy { get; init; }

    /// <summary>The classes the comparison covered when the two class sets differ; null when they are the same.</summary>
    public IReadOnlyList<string>? ComparedClasses { get; init; }

    /// <summary>How far below the active head the candidate may be and still activate.</summary>
    public double Tolerance { get; init; }

    /// <summary>True when the outcome is <see cref="GateOutcome.Activate"/>.</summary>
    public bool ShouldActivate => Outcome == GateOutcome.Activate;
}
