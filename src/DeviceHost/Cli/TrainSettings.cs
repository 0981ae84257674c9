using System.ComponentModel;
using Spectre.Console.Cli;

namespace DeviceHost.Cli;

public sealed class TrainSettings : CommonSettings
{
    [CommandOption("--hidden")]
    [Description("Train a head with one hidden layer instead of the configured kind (Calibration:HeadKind, default linear).")]
    public bool Hidden { get; set; }

    [CommandOption("--instant")]
    [Description("Make an instant head: imprinted from class means, no training (milliseconds). The running service follows it with a full training (Calibration:InstantFollowUp); without the service, run train again for the cross-validated head.")]
    public bool Instant { get; set; }

    [CommandOption("--force")]
    [Description("Activate the new head even if the evaluation gate would keep the current one (recorded in the manifest).")]
    public bool Force { get; set; }

    [CommandOption("--note <TEXT>")]
    [Description("Why this head was trained; stored in its manifest.")]
    public string? Note { get; set; }

    [CommandOption("--wait")]
    [Description("When the service is running (training goes through its API): wait for the job and show its progress and result.")]
    public bool Wait { get; set; }

    public override Spectre.Console.ValidationResult Validate() => Instant && Hidden
        ? Spectre.Console.ValidationResult.Error("--instant makes an imprinted head; --hidden applies only to a full training.")
        : base.Validate();
}
