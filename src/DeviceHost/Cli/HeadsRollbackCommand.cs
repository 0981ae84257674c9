using DeviceHost.Cli.Remote;
using System.ComponentModel;
using EdgeRuntime.Heads;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DeviceHost.Cli;

/// <summary><c>edgeruntime heads rollback</c>: re-activates the version that was active before the current one.</summary>
[Description("Re-activate the head version that was active before the current one.")]
public sealed class HeadsRollbackCommand : Command<HeadsRollbackSettings>
{
    public override int Execute(CommandContext context, HeadsRollbackSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var session = new CliSession(settings);
        if (session.ServiceHoldsData())
        {
            return RemoteCommands.PostAsync(session, settings, "heads/rollback", cancellationToken).GetAwaiter().GetResult();
        }

        using var workspace = session.OpenWorkspace();
        int? previous = workspace.ActiveVersion;
        var record = workspace.Rollback(settings.Reason ?? $"rolled back from the command line by {Environment.UserName}");
        Report(settings, record, previous);
        return 0;
    }

    /// <summary>Prints an activation (shared with <see cref="HeadsActivateCommand"/>).</summary>
    internal static void Report(CommonSettings settings, ActivationRecord record, int? previous)
    {
        if (settings.Json)
        {
            CliOutput.WriteJson(new { activeVersion = record.Version, previousVersion = previous, kind = record.Kind, reason = record.Reason, timestampUtc = record.TimestampUtc, changed = previous != record.Version });
            return;
        }

        var from = previous is { } p ? HeadVersion.FormatName(p) : "no head";
        CliOutput.Stdout().MarkupLine(previous == record.Version
            ? $"{HeadVersion.FormatName(record.Version)} is already active."
            : $"[bold]{HeadVersion.FormatName(record.Version)}[/] is now active (was {from}): {Markup.Escape(record.Reason)}.");
    }
}
