namespace EdgeRuntime.Fleet;

/// <summary>What a device did with one head bundle: refused it, stored it and activated it, or stored and kept it.</summary>
public sealed record BundleOutcome
{
    public required string BundleId { get; init; }

    public long Sequence { get; init; }

    /// <summary>True when the bundle was verified and stored as a head version.</summary>
    public required bool Accepted { get; init; }

    /// <summary>Why it was refused; null when accepted.</summary>
    public FleetRefusal? Refusal { get; init; }

    /// <summary>The head version it was stored as on this device.</summary>
    public int? Version { get; init; }

    /// <summary>True when this device's gate activated it.</summary>
    public bool Activated { get; init; }

    /// <summary>The gate's reason (with the numbers), or the refusal message.</summary>
    public required string Reason { get; init; }

    /// <summary>Candidate accuracy on this device's holdout (on the compared classes).</summary>
    public double? CandidateAccuracy { get; init; }

    /// <summary>The previously active head's accuracy on the same rows.</summary>
    public double? ActiveAccuracy { get; init; }

    /// <summary>True when the bundle had been applied before (a redelivery): nothing was changed this time.</summary>
    public bool AlreadyApplied { get; init; }

    public DateTimeOffset DecidedUtc { get; init; }

    /// <summary>Lower-case hex SHA-256 of the message as received, so a publisher can match even a refusal that came before the bundle id could be read.</summary>
    public string? MessageSha256 { get; init; }

    public static BundleOutcome Refused(string bundleId, long sequence, FleetMessageRefusedException refusal, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return new BundleOutcome { BundleId = bundleId, Sequence = sequence, Accepted = false, Refusal = refusal.Reason, Reason = refusal.Message, DecidedUtc = now };
    }
}
