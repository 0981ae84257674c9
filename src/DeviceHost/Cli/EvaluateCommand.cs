using System.ComponentModel;
using System.Globalization;
using EdgeRuntime.Heads;
using Spectre.Console.Cli;

namespace DeviceHost.Cli;

/// <summary>
/// <c>edgeruntime evaluate</c>: scores the active head on a labelled folder (unknown answers count as wrong).
/// Exit 0 all images evaluated, 3 some could not be read.
/// </summary>
[Description("Score the active head on a labelled image folder: accuracy, per-class precision/recall, confusion matrix.")]
public sealed class EvaluateCommand : Command<EvaluateSettings>
{
    public override int Execute(CommandContext context, EvaluateSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var folder = Path.GetFullPath(settings.Folder);
        using var session = new CliSession(settings);
        using var workspace = session.OpenWorkspace();
        var (version, metrics, failures) = CliProgress.Status(settings, $"Evaluating {folder}", () => workspace.EvaluateFolder(folder, cancellationToken));
        if (settings.Json)
        {
            CliOutput.WriteJson(new { folder, version, metrics, failures });
        }
        else
        {
            foreach (var failure in failures)
            {
                CliOutput.Error(failure);
            }

            MetricsView.Write(CliOutput.Stdout(), string.Create(CultureInfo.InvariantCulture, $"Head {HeadVersion.FormatName(version)} on {folder}"), metrics);
        }

        return failures.Count == 0 ? 0 : 3;
    }
}
