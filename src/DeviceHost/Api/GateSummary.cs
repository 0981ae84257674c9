namespace DeviceHost.Api;

/// <summary>What the evaluation gate did with a head: <c>activated</c> or <c>kept</c>, why, and whether it was forced.</summary>
public sealed record GateSummary(string Outcome, string Reason, bool Forced);
