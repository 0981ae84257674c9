using System.ComponentModel;
using DeviceHost.Cli.Remote;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DeviceHost.Cli;

/// <summary><c>edgeruntime capture --label X</c>: labels the running service's current frame, N times.</summary>
[Description("Label the running service's current camera frame (repeatedly with --count and --interval).")]
public sealed class CaptureCommand : AsyncCommand<CaptureSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, CaptureSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var session = new CliSession(settings);
        using var client = new ServiceClient(session.Configuration, session.DataDirectory);
        var captured = new List<string>();
        for (int i = 0; i < settings.Count; i++)
        {
            if (i > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(settings.Interval), cancellationToken).ConfigureAwait(false);
            }

            var result = await client.PostAsync("samples", new { label = settings.Label }, cancellationToken).ConfigureAwait(false);
            var sample = result["sample"]!;
            captured.Add($"{sample["id"]}");
            if (!settings.Json)
            {
                AnsiConsole.MarkupLine(Markup.Escape($"Captured sample {sample["id"]} as '{sample["label"]}' ({sample["split"]}){(result["duplicate"]?.GetValue<bool>() == true ? " - same image as an earlier sample" : "")}"));
            }
        }

        if (settings.Json)
        {
            CliOutput.WriteJson(new { label = settings.Label, samples = captured });
        }

        return 0;
    }
}
