using System.ComponentModel;
using Spectre.Console.Cli;

namespace DeviceHost.Cli.Fleet;

public sealed class FleetPublishSettings : FleetCliSettings
{
    [CommandArgument(0, "<VERSION>")]
    [Description("Head version of the data directory to publish (as `heads list` shows it, 7 or v7).")]
    public string Version { get; set; } = "";

    [CommandOption("--key <FILE>")]
    [Description("The fleet private key (PREFIX.key.pem from `fleet keygen`).")]
    public string? KeyFile { get; set; }

    [CommandOption("--note <TEXT>")]
    [Description("Recorded with the bundle and in every device's head history.")]
    public string? Note { get; set; }

    [CommandOption("--out <FILE>")]
    [Description("Also write the signed bundle to FILE.")]
    public string? OutFile { get; set; }

    [CommandOption("--expect <N>")]
    [Description("Wait (up to --timeout) for N devices' outcomes and print them. Default: 0, do not wait.")]
    public int Expect { get; set; }
}
