using DeviceHost.Fleet;

namespace DeviceHost.Cli.Fleet;

/// <summary>One row of <c>fleet status --json</c>: the device, whether its availability says online, and its last retained state.</summary>
public sealed record FleetDeviceView(string DeviceId, bool Online, FleetState? State);
