using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DeviceHost.Cli;

public sealed class HeadsActivateSettings : CommonSettings
{
    [CommandArgument(0, "<VERSION>")]
    [Description("The head version to activate: 7 or v7.")]
    public string Version { get; set; } = "";

    [CommandOption("--reason <TEXT>")]
    [Description("Why; recorded in the activation history.")]
    public string? Reason { get; set; }

    /// <summary>The parsed version number; valid after <see cref="Validate"/>.</summary>
    public int VersionNumber => ParseVersion(Version) ?? 0;

    public override ValidationResult Validate() =>
        ParseVersion(Version) is null
            ? ValidationResult.Error($"'{Version}' is not a head version (expected a number such as 7 or v7).")
            : ValidationResult.Success();

    private static int? ParseVersion(string text)
    {
        var digits = text.StartsWith('v') || text.StartsWith('V') ? text[1..] : text;
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : null;
    }
}
