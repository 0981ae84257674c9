using System.ComponentModel;
using System.Globalization;
using EdgeRuntime.Calibration;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DeviceHost.Cli;

/// <summary>
/// <c>edgeruntime import</c>: stores a labelled image folder as samples with embeddings. Bad files are listed and
/// skipped. Exit 0 all stored (or already there), 3 some failed, 1 nothing stored.
/// </summary>
[Description("Import labelled images (FOLDER/<label>/*.jpg) into the sample store, with their embeddings.")]
public sealed class ImportCommand : Command<ImportSettings>
{
    public override int Execute(CommandContext context, ImportSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var folder = Path.GetFullPath(settings.Folder);
        using var session = new CliSession(settings);
        using var workspace = session.OpenWorkspace();
        int total = CountImages(folder);
        var result = CliProgress.Count(settings, "import", total, progress => workspace.Import(folder, progress, cancellationToken));
        var counts = workspace.ClassCounts();

        if (settings.Json)
        {
            CliOutput.WriteJson(new
            {
                folder,
                added = result.Added,
                duplicates = result.Duplicates,
                failed = result.Failures.Count,
                failures = result.Failures.Select(f => new { path = f.Name, reason = f.Reason }),
                classes = counts,
            });
        }
        else
        {
            foreach (var failure in result.Failures)
            {
                CliOutput.Error($"{failure.Name}: {failure.Reason}");
            }

            var console = CliOutput.Stdout();
            console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"Imported [green]{result.Added}[/] new samples, {result.Duplicates} duplicates skipped, " +
                $"{(result.Failures.Count == 0 ? "0" : $"[red]{result.Failures.Count}[/]")} failed, into {Markup.Escape(workspace.DataDirectory)}."));
            var table = new Table().AddColumns("Class", "Samples", "Train", "Holdout");
            foreach (var c in counts)
            {
                table.AddRow(Markup.Escape(c.Label), c.Total.ToString(CultureInfo.InvariantCulture), c.Train.ToString(CultureInfo.InvariantCulture), c.Holdout.ToString(CultureInfo.InvariantCulture));
            }

            console.Write(table);
        }

        return result.Failures.Count == 0 ? 0 : result.Added + result.Duplicates > 0 ? 3 : 1;
    }

    /// <summary>The files <see cref="CalibrationWorkspace.Import"/> will read, for the progress total; a missing folder is its to report.</summary>
    private static int CountImages(string folder) =>
        Directory.Exists(folder)
            ? Directory.EnumerateDirectories(folder).Sum(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories).Count(ImageFiles.HasImageExtension))
            : 0;
}
