using DeviceHost.Cli.Remote;
using System.ComponentModel;
using System.Globalization;
using EdgeRuntime.Heads;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DeviceHost.Cli;

/// <summary><c>edgeruntime heads list</c>: stored head versions with their holdout accuracy, trigger and gate outcome.</summary>
[Description("List stored head versions: time, holdout accuracy, samples, trigger, gate outcome; * marks the active one.")]
public sealed class HeadsListCommand : Command<CommonSettings>
{
    public override int Execute(CommandContext context, CommonSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var session = new CliSession(settings);
        if (session.ServiceHoldsData())
        {
            return RemoteCommands.ListHeadsAsync(session, settings, cancellationToken).GetAwaiter().GetResult();
        }

        using var workspace = session.OpenWorkspace();
        var heads = workspace.ListHeads();
        int? active = workspace.ActiveVersion;
        int? rollback = workspace.RollbackTarget;
        if (settings.Json)
        {
            CliOutput.WriteJson(new
            {
                activeVersion = active,
                rollbackTarget = rollback,
                heads = heads.Select(h => new
                {
                    version = h.Version,
                    name = h.Name,
                    active = h.Version == active,
                    createdUtc = h.Manifest.CreatedUtc,
                    labels = h.Manifest.Labels,
                    headKind = h.Manifest.HeadKind,
                    accuracy = h.Manifest.HoldoutMetrics?.Accuracy,
                    holdoutSamples = h.Manifest.HoldoutMetrics?.Total,
                    trigger = h.Manifest.Trigger,
                    gate = new { outcome = h.Manifest.Gate.Outcome, reason = h.Manifest.Gate.Reason, forced = h.Manifest.Gate.Forced },
                    unknownThreshold = h.Manifest.UnknownThreshold,
                    parentVersion = h.Manifest.ParentVersion,
                    backboneHash = h.Manifest.BackboneHash,
                    trainedForThisBackbone = workspace.IsForThisBackbone(h.Manifest),
                }),
            });
            return 0;
        }

        var console = CliOutput.Stdout();
        if (heads.Count == 0)
        {
            console.MarkupLine("No heads yet: import samples and run [bold]edgeruntime train[/].");
            return 0;
        }

        var inv = CultureInfo.InvariantCulture;
        var table = new Table().AddColumns("", "Version", "Created (UTC)", "Kind", "Classes", "Holdout accuracy", "Holdout samples", "Trigger", "Gate");
        foreach (var h in heads)
        {
            var m = h.Manifest;
            var trigger = m.Trigger.Source.ToString() + (m.Trigger.User is { Length: > 0 } u ? $" ({u})" : "") + (m.Trigger.Note is { Length: > 0 } n ? $": {n}" : "");
            var gate = m.Gate.Outcome.ToString().ToLowerInvariant() + (m.Gate.Forced ? " (forced)" : "");
            table.AddRow(
                h.Version == active ? "[green]*[/]" : h.Version == rollback ? "[grey]r[/]" : "",
                h.Version == active ? $"[bold]{h.Name}[/]" : h.Name,
                m.CreatedUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", inv),
                Markup.Escape(m.HeadKind),
                Markup.Escape(string.Join(", ", m.Labels)),
                m.HoldoutMetrics is { } metrics ? metrics.Accuracy.ToString("P1", inv) : "-",
                m.HoldoutMetrics is { } counted ? counted.Total.ToString(inv) : "-",
                Markup.Escape(trigger),
                Markup.Escape(gate));
        }

        console.Write(table);
        console.MarkupLine(active is { } a
            ? $"* active: {HeadVersion.FormatName(a)}" + (rollback is { } r ? $"; r: rollback target {HeadVersion.FormatName(r)}" : "")
            : "No head is active.");
        return 0;
    }
}
