using System.ComponentModel;
using System.Globalization;
using DeviceHost.Cli.Remote;
using EdgeRuntime.Adaptation;
using EdgeRuntime.Heads;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DeviceHost.Cli;

/// <summary>
/// <c>edgeruntime adapt [FOLDER]</c>: adapts the active head to a new camera from unlabelled images (or, through the
/// running service, its live frames) and shows the gate's evidence. Exit 0 when a version was stored (activated or not).
/// </summary>
[Description("Adapt the active head to a new camera from unlabelled images: re-centre (optionally CORAL), pseudo-label once, gate, store.")]
public sealed class AdaptCommand : Command<AdaptSettings>
{
    public override int Execute(CommandContext context, AdaptSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var folder = settings.Folder is { Length: > 0 } f ? Path.GetFullPath(f) : null;
        using var session = new CliSession(settings);
        if (session.ServiceHoldsData())
        {
            return RemoteCommands.AdaptAsync(session, settings, new { folder, coral = settings.Coral, force = settings.Force, note = settings.Note }, cancellationToken)
                .GetAwaiter().GetResult();
        }

        if (folder is null)
        {
            throw new AdaptationException("Without a FOLDER, adapt uses the running service's live frames, but no service holds this data directory: give a folder of images.");
        }

        using var workspace = session.OpenWorkspace();
        var embedded = CliProgress.Status(settings, $"Embedding {folder}", () => workspace.EmbedFolder(folder, cancellationToken));
        foreach (var failure in embedded.Failures)
        {
            CliOutput.Error(failure);
        }

        var outcome = CliProgress.Status(settings, "Adapting", () => workspace.Adapt(
            new AdaptRequest(embedded.Embeddings, "folder", settings.Coral ? true : null, settings.Force)
            {
                Trigger = HeadTriggerSource.Cli, User = Environment.UserName, Note = settings.Note, ImagesFound = embedded.Found,
            },
            cancellationToken));
        if (settings.Json)
        {
            CliOutput.WriteJson(outcome, keepNulls: true);
            return 0;
        }

        var e = outcome.Evidence;
        var inv = CultureInfo.InvariantCulture;
        var console = CliOutput.Stdout();
        if (embedded.Selected < embedded.Found)
        {
            console.MarkupLine(string.Create(inv, $"{embedded.Found} images in the folder: {embedded.Selected} evenly spaced ones embedded (Calibration:Adaptation:MaxImages)."));
        }

        console.MarkupLine(string.Create(inv, $"Adapted {HeadVersion.FormatName(e.BaseVersion)} to {e.Frames} of {e.ImagesFound} images as [bold]{HeadVersion.FormatName(outcome.Version)}[/]: mean shift {e.MeanShift:P0}{(e.Coral ? ", CORAL" : "")}, {e.PseudoLabelled} pseudo-labels."));
        console.MarkupLine(outcome.Activated
            ? $"Gate: [green]activate[/]: {Markup.Escape(e.Reason)}. Roll back with [bold]edgeruntime rollback[/]."
            : $"Gate: [yellow]keep[/]: {Markup.Escape(e.Reason)}. Activate it anyway with [bold]edgeruntime activate {outcome.Version.ToString(inv)}[/].");
        return 0;
    }
}
