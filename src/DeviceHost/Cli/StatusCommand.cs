using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using DeviceHost.Api;
using DeviceHost.Cli.Remote;
using EdgeRuntime;
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

        // Read as the typed contract the service writes (DeviceStatus): a renamed field breaks the build, not the output.
        var typed = status.Deserialize<DeviceStatus>(CliOutput.Json)
            ?? throw new EdgeRuntimeException($"The service at {client.BaseAddress} answered /status with an empty document.");
        var inv = CultureInfo.InvariantCulture;
        var table = new Table().HideHeaders().AddColumns("", "");
        table.AddRow("Service", Markup.Escape(client.BaseAddress.ToString()));
        table.AddRow("Needs calibration", typed.NeedsCalibration ? "true" : "false");
        table.AddRow("Backbone", Markup.Escape(typed.Backbone is { } b ? $"{b.Name} on {b.Provider.ToString().ToLowerInvariant()}" : "loading"));
        table.AddRow("Source", Markup.Escape($"{typed.Source.Source}: {typed.Source.State.ToString().ToLowerInvariant()}"));
        var pipeline = typed.Pipeline;
        table.AddRow("Frames", Markup.Escape(string.Create(inv, $"{pipeline.Fps} fps, latency p50 {pipeline.LatencyMs.P50} ms, p95 {pipeline.LatencyMs.P95} ms, dropped {pipeline.FramesDropped}")));
        var head = typed.ActiveHead;
        table.AddRow("Active head", head is null ? "none" : Markup.Escape(string.Create(inv, $"v{head.Version} ({string.Join(", ", head.Labels)}), holdout accuracy {head.Accuracy}")));
        table.AddRow("Samples", Markup.Escape(string.Join(", ", typed.Samples?.Classes.Select(c => string.Create(inv, $"{c.Label} {c.Train}+{c.Holdout}")) ?? [])));
        table.AddRow("Training", Markup.Escape(typed.Training is { } t ? string.Create(inv, $"{t.State.ToString().ToLowerInvariant()} (epoch {t.Epoch})") : "none"));
        foreach (var error in typed.Errors)
        {
            table.AddRow("[red]Problem[/]", Markup.Escape(error));
        }

        CliOutput.Stdout().Write(table);
        return 0;
    }
}
