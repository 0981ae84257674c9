using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DeviceHost.Cli;

public sealed class ExportSettings : CommonSettings
{
    [CommandArgument(0, "<FILE>")]
    [Description("The .onnx file to write (replaced atomically if it exists).")]
    public string Output { get; set; } = "";

    public override ValidationResult Validate() =>
        Output.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase)
            ? ValidationResult.Success()
            : ValidationResult.Error($"'{Output}' must end in .onnx.");
}
