namespace DeviceHost.Cli;

/// <summary>Settings of <c>edgeruntime run</c>: only the common ones; everything else is configuration.</summary>
public sealed class RunSettings : CommonSettings
{
}
