using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DeviceHost.Cli;

public sealed class PredictSettings : CommonSettings
{
    [CommandArgument(0, "<FILES>")]
    [Description("Image files and/or folders (searched recursively for .jpg .jpeg .png .bmp .webp).")]
    public string[] Paths { get; set; } = [];

    [CommandOption("-k|--top <K>")]
    [Description("How many best classes to show per image (default 3).")]
    public int Top { get; set; } = 3;

    public override ValidationResult Validate() =>
        Top < 1 ? ValidationResult.Error("--top must be at least 1.") : ValidationResult.Success();
}
