using System.ComponentModel;
using DeviceHost.Cli.Remote;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DeviceHost.Cli;

/// <summary><c>edgeruntime status</c>: the running service's state, over its local API.</summary>
[Description("Show the running service's state: source, fps, provider, active head, samples, training.")]
public sealed class StatusCommand : AsyncCommand<CommonSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, CommonSettings settings, CancellationToken cancellationToken)
    {
        using var session = new CliSession(settings);
        using var client = new ServiceClient(session.Configuration, session.DataDirectory);
        var status = await client.GetAsync("status", cancellationToken).ConfigureAwait(false);
        if (settings.Json)
        {
            Console.Out.WriteLine(status.ToJsonString(CliOutput.Json));
            return 0;
        }

        var table = new Table().HideHeaders().AddColumns("", "");
        table.AddRow("Service", Markup.Escape(client.BaseAddress.ToString()));
        table.AddRow("Needs calibration", status["needsCalibration"]?.ToString() ?? "?");
        table.AddRow("Backbone", Markup.Escape($"{status["backbone"]?["name"]} on {status["backbone"]?["provider"]}"));
        table.AddRow("Source", Markup.Escape($"{status["source"]?["source"]}: {status["source"]?["state"]}"));
        table.AddRow("Frames", Markup.Escape($"{status["pipeline"]?["fps"]} fps, latency p50 {status["pipeline"]?["latencyMs"]?["p50"]} ms, p95 {status["pipeline"]?["latencyMs"]?["p95"]} ms, dropped {status["pipeline"]?["framesDropped"]}"));
        var head = status["activeHead"];
        table.AddRow("Active head", head is null ? "none" : Markup.Escape($"v{head["version"]} ({string.Join(", ", head["labels"]!.AsArray().Select(l => l!.ToString()))}), holdout accuracy {head["accuracy"]}"));
        table.AddRow("Samples", Markup.Escape(string.Join(", ", status["samples"]?["classes"]?.AsArray().Select(c => $"{c!["label"]} {c["train"]}+{c["holdout"]}") ?? [])));
        table.AddRow("Training", Markup.Escape(status["training"] is { } t ? $"{t["state"]} (epoch {t["epoch"]})" : "none"));
        foreach (var error in status["errors"]?.AsArray() ?? [])
        {
            table.AddRow("[red]Problem[/]", Markup.Escape(error!.ToString()));
        }

        AnsiConsole.Write(table);
        return 0;
    }
}
