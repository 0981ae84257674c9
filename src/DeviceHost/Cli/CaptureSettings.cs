using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DeviceHost.Cli;

public sealed class CaptureSettings : CommonSettings
{
    [CommandOption("-l|--label <LABEL>")]
    [Description("Class of the captured frames.")]
    public string? Label { get; set; }

    [CommandOption("-n|--count <N>")]
    [Description("Frames to capture (default 1).")]
    [DefaultValue(1)]
    public int Count { get; set; } = 1;

    [CommandOption("-i|--interval <SECONDS>")]
    [Description("Seconds between captures (default 1).")]
    [DefaultValue(1.0)]
    public double Interval { get; set; } = 1.0;

    public override ValidationResult Validate() =>
        string.IsNullOrWhiteSpace(Label) ? ValidationResult.Error("--label <LABEL> is required.")
        : Count is < 1 or > 10_000 ? ValidationResult.Error("--count must be 1..10000.")
        : Interval is < 0 or > 3600 ? ValidationResult.Error("--interval must be 0..3600 seconds.")
        : ValidationResult.Success();
}
