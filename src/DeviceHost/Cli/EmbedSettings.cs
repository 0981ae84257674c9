using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DeviceHost.Cli;

public sealed class EmbedSettings : CommonSettings
{
    [CommandArgument(0, "<PATHS>")]
    [Description("Image files and/or folders (searched recursively for .jpg .jpeg .png .bmp .webp).")]
    public string[] Paths { get; set; } = [];

    [CommandOption("-o|--output <FILE>")]
    [Description("Where to write embeddings: .npy (float32 N x D, with FILE.paths.txt) or .csv.")]
    public string? Output { get; set; }

    public override ValidationResult Validate() =>
        string.IsNullOrWhiteSpace(Output) ? ValidationResult.Error("--output <FILE> is required (.npy or .csv).") : ValidationResult.Success();
}
