namespace EdgeRuntime.Heads;

/// <summary>One switch of the active head, as kept in <c>heads/history.json</c>.</summary>
public sealed record ActivationRecord
{
    /// <summary>Position in the history, from 1; <c>heads/active.json</c> names the last committed one.</summary>
    public required long Sequence { get; init; }

    /// <summary>The version made active.</summary>
    public required int Version { get; init; }

    /// <summary>Activation or rollback.</summary>
    public required ActivationKind Kind { get; init; }

    /// <summary>The version active before; null for the first activation.</summary>
    public int? PreviousVersion { get; init; }

    /// <summary>When the switch happened (UTC).</summary>
    public required DateTimeOffset TimestampUtc { get; init; }

    /// <summary>Why (gate reason, or what the person typed).</summary>
    public required string Reason { get; init; }

    /// <summary>True when activation overrode the evaluation gate.</summary>
    public bool Forced { get; init; }
}
