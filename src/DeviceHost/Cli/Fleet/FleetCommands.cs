using Spectre.Console.Cli;

namespace DeviceHost.Cli.Fleet;

/// <summary>The <c>edgeruntime fleet</c> branch (docs/fleet.md).</summary>
public static class FleetCommands
{
    public static void Register(IConfigurator<CommandSettings> fleet)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        fleet.SetDescription("Devices of a site over MQTT: keys, signed head bundles, status, federated heads.");
        fleet.AddCommand<FleetKeygenCommand>("keygen").WithExample("fleet", "keygen", "/etc/edgeruntime/fleet");
        fleet.AddCommand<FleetPublishHeadCommand>("publish-head").WithExample("fleet", "publish-head", "7", "--key", "fleet.key.pem", "--expect", "3");
        fleet.AddCommand<FleetStatusCommand>("status").WithExample("fleet", "status", "--json");
        fleet.AddCommand<FleetAggregateCommand>("aggregate").WithExample("fleet", "aggregate", "--key", "fleet.key.pem", "--expect", "3");
    }
}
