using System.ComponentModel;
using Spectre.Console.Cli;

namespace DeviceHost.Cli;

public sealed class BenchSettings : CommonSettings
{
    [CommandOption("--seconds <SECONDS>")]
    [Description("Measuring time per precision and batch size (default 5).")]
    public double Seconds { get; set; } = 5;
}
