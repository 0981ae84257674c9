namespace EdgeRuntime.Adaptation;

/// <summary>The stored head version, whether it is now active, and the evidence.</summary>
public sealed record AdaptationOutcome(int Version, bool Activated, AdaptationEvidence Evidence);
