namespace DeviceHost.Api;

/// <summary>The process's memory in /status, in MiB.</summary>
public sealed record MemoryStatus(double ResidentMb, double ManagedHeapMb, double ManagedCommittedMb);
