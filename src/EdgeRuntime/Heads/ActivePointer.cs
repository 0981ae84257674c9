namespace EdgeRuntime.Heads;

/// <summary>Contents of <c>heads/active.json</c>: the commit point of an activation.</summary>
/// <param name="Version">The active version.</param>
/// <param name="Sequence">The last committed entry of history.json; later entries never took effect.</param>
/// <param name="ActivatedUtc">When it became active.</param>
internal sealed record ActivePointer(int Version, long Sequence, DateTimeOffset ActivatedUtc);
