using DeviceHost.Cli.Remote;
using System.ComponentModel;
using EdgeRuntime.Evaluation;
using EdgeRuntime.Heads;
using Spectre.Console.Cli;

namespace DeviceHost.Cli;

/// <summary><c>edgeruntime heads activate V</c>: makes a stored version the active head (verified first).</summary>
[Description("Make a stored head version active (its files are verified first; the switch is atomic).")]
public sealed class HeadsActivateCommand : Command<HeadsActivateSettings>
{
    public override int Execute(CommandContext context, HeadsActivateSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var session = new CliSession(settings);
        if (session.ServiceHoldsData())
        {
            return RemoteCommands.PostAsync(session, settings, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"heads/{settings.VersionNumber}/activate"), cancellationToken).GetAwaiter().GetResult();
        }

        using var workspace = session.OpenWorkspace();
        int version = settings.VersionNumber;
        var head = workspace.GetHead(version);

        // Activating a version the gate kept overrides the gate; the history says so.
        int? previous = workspace.ActiveVersion;
        var record = workspace.Activate(version, settings.Reason ?? $"activated from the command line by {Environment.UserName}", forced: head.Manifest.Gate.Outcome == GateOutcome.Keep);
        HeadsRollbackCommand.Report(settings, record, previous);
        return 0;
    }
}
