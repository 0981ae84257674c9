using System.ComponentModel;
using Spectre.Console.Cli;

namespace DeviceHost.Cli;

public sealed class ImportSettings : CommonSettings
{
    [CommandArgument(0, "<FOLDER>")]
    [Description("ImageFolder layout: FOLDER/<label>/*.jpg|png|bmp|webp; each sub-folder name is the label.")]
    public string Folder { get; set; } = "";
}
