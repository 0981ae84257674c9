using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DeviceHost.Cli;

/// <summary>
/// <c>edgeruntime predict</c>: classifies image files with the active head; "unknown" below the head's threshold.
/// Exit 0 all classified, 3 some could not be read, 1 none.
/// </summary>
[Description("Classify image files with the active head: top-k classes with confidence, or unknown below the threshold.")]
public sealed class PredictCommand : Command<PredictSettings>
{
    public override int Execute(CommandContext context, PredictSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        // The same file named twice is classified once.
        var files = ImageFiles.Expand(settings.Paths).Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            CliOutput.Error("no image files found in the given paths.");
            return 1;
        }

        using var session = new CliSession(settings);
        using var workspace = session.OpenWorkspace();
        var results = CliProgress.Status(settings, $"Classifying {files.Count} images", () => workspace.Predict(files, settings.Top, cancellationToken));
        int failed = results.Count(r => r.Prediction is null);
        if (settings.Json)
        {
            CliOutput.WriteJson(new
            {
                headVersion = results.Select(r => r.Prediction?.HeadVersion).FirstOrDefault(v => v is not null),
                predictions = results.Select(r => new
            {
                file = r.File,
                label = r.Prediction is { } p ? p.Label ?? "unknown" : null,
                unknown = r.Prediction?.IsUnknown,
                confidence = r.Prediction?.Confidence,
                top = r.Prediction?.TopK.Select(s => new { label = s.Label, probability = s.Probability }),
                headVersion = r.Prediction?.HeadVersion,
                error = r.Error,
            }),
            });
        }
        else
        {
            var inv = CultureInfo.InvariantCulture;
            var table = new Table().AddColumns("File", "Prediction", "Confidence", $"Top {settings.Top}");
            foreach (var (file, prediction, error) in results)
            {
                if (prediction is null)
                {
                    table.AddRow(Markup.Escape(file), "[red]error[/]", "-", Markup.Escape(error ?? ""));
                    continue;
                }

                table.AddRow(
                    Markup.Escape(file),
                    prediction.Label is { } label ? $"[green]{Markup.Escape(label)}[/]" : "[yellow]unknown[/]",
                    prediction.Confidence.ToString("P1", inv),
                    Markup.Escape(string.Join(", ", prediction.TopK.Select(s => string.Create(inv, $"{s.Label} {s.Probability:P1}")))));
            }

            CliOutput.Stdout().Write(table);
        }

        return failed == 0 ? 0 : failed < results.Count ? 3 : 1;
    }
}
