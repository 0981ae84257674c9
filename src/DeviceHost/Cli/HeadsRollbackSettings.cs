using System.ComponentModel;
using Spectre.Console.Cli;

namespace DeviceHost.Cli;

public sealed class HeadsRollbackSettings : CommonSettings
{
    [CommandOption("--reason <TEXT>")]
    [Description("Why; recorded in the activation history.")]
    public string? Reason { get; set; }
}
