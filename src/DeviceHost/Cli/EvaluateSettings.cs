using System.ComponentModel;
using Spectre.Console.Cli;

namespace DeviceHost.Cli;

public sealed class EvaluateSettings : CommonSettings
{
    [CommandArgument(0, "<FOLDER>")]
    [Description("Labelled images in ImageFolder layout (FOLDER/<label>/*.jpg), not imported: a test set.")]
    public string Folder { get; set; } = "";
}
