using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace DeviceHost.Cli.Remote;

/// <summary>
/// The technician commands when the service is running and holds the data directory: the same commands, carried out
/// by the service over its local API (so training runs inside the service, at low priority, next to live inference).
/// </summary>
public static class RemoteCommands
{
    public static Task<int> TrainAsync(CliSession session, TrainSettings settings, CancellationToken cancellationToken) =>
        ExplainAsync(session, () => TrainCoreAsync(session, settings, cancellationToken));

    public static Task<int> ListHeadsAsync(CliSession session, CommonSettings settings, CancellationToken cancellationToken) =>
        ExplainAsync(session, () => ListHeadsCoreAsync(session, settings, cancellationToken));

    public static Task<int> PostAsync(CliSession session, CommonSettings settings, string path, CancellationToken cancellationToken) =>
        ExplainAsync(session, () => PostCoreAsync(session, settings, path, cancellationToken));

    /// <summary>POST /adapt with <paramref name="body"/> and show the stored version and the gate's evidence.</summary>
    public static Task<int> AdaptAsync(CliSession session, CommonSettings settings, object body, CancellationToken cancellationToken) =>
        ExplainAsync(session, async () =>
        {
            using var client = new ServiceClient(session.Configuration, session.DataDirectory);
            var outcome = await client.PostAsync("adapt", body, cancellationToken).ConfigureAwait(false);
            var activated = outcome["activated"]?.GetValue<bool>() == true;
            var evidence = outcome["evidence"];
            var used = evidence?["imagesFound"] is { } found ? $"{evidence["frames"]} of {found} folder images" : $"{evidence?["frames"]} {evidence?["source"]} frames";
            Write(settings, outcome, $"Adapted head v{outcome["version"]} to {used}, stored in the service{(activated ? " and activated" : ", not activated")}: {evidence?["reason"]}");
            return 0;
        });

    /// <summary>
    /// The directory is held by another process but no service answers: say both, so the technician can find the
    /// process (a CLI import, say) that holds it.
    /// </summary>
    private static async Task<int> ExplainAsync(CliSession session, Func<Task<int>> remote)
    {
        try
        {
            return await remote().ConfigureAwait(false);
        }
        catch (ServiceUnavailableException ex) when (ex.InnerException is HttpRequestException && session.LockHolder is { } holder)
        {
            throw new ServiceUnavailableException($"{holder.Message} {ex.Message}", ex);
        }
    }

    private static async Task<int> TrainCoreAsync(CliSession session, TrainSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(settings);
        using var client = new ServiceClient(session.Configuration, session.DataDirectory);
        var started = await client.PostAsync("train", new { headKind = settings.Hidden ? "hidden" : null, force = settings.Force, note = settings.Note, instant = settings.Instant }, cancellationToken).ConfigureAwait(false);
        var id = started["jobId"]!.GetValue<string>();
        if (!settings.Wait)
        {
            Write(settings, started, $"Training job {id} started in the service; follow it with 'edgeruntime status' or add --wait.");
            return 0;
        }

        JsonNode job = started;
        if (settings.Json || Console.IsOutputRedirected)
        {
            job = await PollAsync(client, id, _ => { }, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await AnsiConsole.Progress().StartAsync(async ctx =>
            {
                var task = ctx.AddTask("Training in the service", maxValue: 1);
                job = await PollAsync(client, id, j =>
                {
                    var epochs = j["epochs"]?.AsArray();
                    task.Description = epochs is { Count: > 0 } e
                        ? string.Create(CultureInfo.InvariantCulture, $"epoch {e.Count}: loss {e[^1]!["trainLoss"]}, holdout {e[^1]!["holdoutAccuracy"]}")
                        : "Training in the service";
                }, cancellationToken).ConfigureAwait(false);
                task.Value = 1;
            }).ConfigureAwait(false);
        }

        var state = job["state"]?.GetValue<string>();
        var result = job["result"];
        var followUp = job["followUpJobId"] is { } next ? $" A full training follows as job {next}."
            : job["followUpSkipped"] is { } skipped ? $" No full training follows: {skipped}."
            : "";
        Write(settings, job, state == "succeeded" && result is not null
            ? result["recipe"]?["instant"]?.GetValue<bool>() == true
                ? $"Instant head v{result["version"]}; gate {result["gate"]?["outcome"]}: {result["gate"]?["reason"]}.{followUp}"
                : $"Head v{result["version"]}: cross-validated accuracy {result["metrics"]?["accuracy"]}; gate {result["gate"]?["outcome"]}: {result["gate"]?["reason"]}"
            : $"Training {state}: {job["error"]}");
        return state == "succeeded" ? 0 : 1;
    }

    private static async Task<int> ListHeadsCoreAsync(CliSession session, CommonSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(settings);
        using var client = new ServiceClient(session.Configuration, session.DataDirectory);
        var heads = await client.GetAsync("heads", cancellationToken).ConfigureAwait(false);
        if (settings.Json)
        {
            Console.Out.WriteLine(heads.ToJsonString(CliOutput.Json));
            return 0;
        }

        var table = new Table().AddColumns("", "Version", "Created", "Accuracy", "Samples", "Trigger", "Gate");
        foreach (var h in heads["items"]!.AsArray())
        {
            table.AddRow(
                h!["active"]!.GetValue<bool>() ? "*" : "",
                $"v{h["version"]}",
                Markup.Escape(h["createdAt"]?.ToString() ?? ""),
                Markup.Escape(h["accuracy"]?.ToString() ?? "-"),
                Markup.Escape($"{h["samples"]?["train"]} / {h["samples"]?["holdout"]}"),
                Markup.Escape($"{h["trigger"]?["source"]} {h["trigger"]?["note"]}"),
                Markup.Escape($"{h["gate"]?["outcome"]}"));
        }

        AnsiConsole.Write(table);
        return 0;
    }

    private static async Task<int> PostCoreAsync(CliSession session, CommonSettings settings, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(settings);
        using var client = new ServiceClient(session.Configuration, session.DataDirectory);
        var record = await client.PostAsync(path, null, cancellationToken).ConfigureAwait(false);
        Write(settings, record, $"Head v{record["version"]} is now active in the service (was v{record["previousVersion"]}).");
        return 0;
    }

    private static async Task<JsonNode> PollAsync(ServiceClient client, string id, Action<JsonNode> onUpdate, CancellationToken cancellationToken)
    {
        while (true)
        {
            var job = await client.GetAsync($"jobs/{id}", cancellationToken).ConfigureAwait(false);
            onUpdate(job);
            if (job["state"]?.GetValue<string>() is not ("queued" or "running"))
            {
                return job;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        }
    }

    private static void Write(CommonSettings settings, JsonNode json, string text)
    {
        if (settings.Json)
        {
            Console.Out.WriteLine(json.ToJsonString(CliOutput.Json));
        }
        else
        {
            AnsiConsole.MarkupLine(Markup.Escape(text));
        }
    }
}
