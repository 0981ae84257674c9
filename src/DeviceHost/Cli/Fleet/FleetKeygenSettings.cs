using System.ComponentModel;
using Spectre.Console.Cli;

namespace DeviceHost.Cli.Fleet;

public sealed class FleetKeygenSettings : CommandSettings
{
    [CommandArgument(0, "<PREFIX>")]
    [Description("Writes PREFIX.key.pem (private, owner-only: keep it off the devices) and PREFIX.pub.pem (give it to every device as Fleet:BundlePublicKeyFile).")]
    public string Prefix { get; set; } = "";
}
