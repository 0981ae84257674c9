using System.ComponentModel;
using Spectre.Console.Cli;

namespace DeviceHost.Cli;

public sealed class AdaptSettings : CommonSettings
{
    [CommandArgument(0, "[FOLDER]")]
    [Description("Unlabelled images from the new camera. Without it the running service adapts to its newest live frames.")]
    public string? Folder { get; set; }

    [CommandOption("--coral")]
    [Description("Also align second-order statistics (CORAL), not only the mean.")]
    public bool Coral { get; set; }

    [CommandOption("--force")]
    [Description("Activate the adapted head even if its gate would keep the current one (recorded in the manifest).")]
    public bool Force { get; set; }

    [CommandOption("--note <TEXT>")]
    [Description("Why; stored in the new head's manifest.")]
    public string? Note { get; set; }
}
