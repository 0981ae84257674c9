namespace DeviceHost.Api;

/// <summary>GET /heads: the head history, newest first, with the active version and the rollback target.</summary>
public sealed record HeadList(int? Active, int? RollbackTarget, IReadOnlyList<HeadSummary> Items);
