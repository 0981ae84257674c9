using System.ComponentModel;
using EdgeRuntime.Features;
using Spectre.Console.Cli;

namespace DeviceHost.Cli.Fleet;

public sealed class FleetAggregateSettings : FleetCliSettings
{
    [CommandOption("--key <FILE>")]
    [Description("The fleet private key the pooled head is signed with.")]
    public string? KeyFile { get; set; }

    [CommandOption("--expect <N>")]
    [Description("Devices whose moments to pool (they must have published their state). Required.")]
    public int Expect { get; set; }

    [CommandOption("--transform <KIND>")]
    [Description("Feature transform of the pooled head: None, L2, CenteredL2, PowerCenteredL2. Default: PowerCenteredL2.")]
    public FeatureTransformKind Transform { get; set; } = FeatureTransformKind.PowerCenteredL2;

    [CommandOption("--shrinkage <VALUE>")]
    [Description("Covariance shrinkage: 'oas' (estimated from the pooled moments) or a fixed intensity in (0, 1]. Default: oas.")]
    public string Shrinkage { get; set; } = "oas";

    [CommandOption("--note <TEXT>")]
    public string? Note { get; set; }
}
