using System.ComponentModel;
using EdgeRuntime.Embeddings;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DeviceHost.Cli;

/// <summary><c>edgeruntime embed</c>: embeddings of image files, written for use elsewhere. Exit 0 all good, 3 some failed, 1 none.</summary>
[Description("Compute backbone embeddings of image files or folders and write them to .npy or .csv.")]
public sealed class EmbedCommand : Command<EmbedSettings>
{
    private const int ProgressThreshold = 16;

    public override int Execute(CommandContext context, EmbedSettings settings, CancellationToken cancellationToken)
    {
        using var session = new CliSession(settings);
        var files = ImageFiles.Expand(settings.Paths);
        if (files.Count == 0)
        {
            CliOutput.Error("no image files found in the given paths.");
            return 1;
        }

        var engine = session.Engine;
        BatchEmbeddingResult result;
        if (!settings.Json && files.Count >= ProgressThreshold)
        {
            result = AnsiConsole.Progress().Start(ctx =>
            {
                var task = ctx.AddTask("Embedding", maxValue: files.Count);
                return engine.EmbedFiles(files, new SyncProgress<int>(done => task.Value = done), cancellationToken);
            });
        }
        else
        {
            result = engine.EmbedFiles(files, null, cancellationToken);
        }

        var output = Path.GetFullPath(settings.Output!);
        var format = EmbeddingFileWriter.FormatFor(output);
        if (result.Succeeded.Count > 0)
        {
            EmbeddingFileWriter.Write(output, result.Succeeded, engine.Dimension, format);
        }

        if (settings.Json)
        {
            CliOutput.WriteJson(new
            {
                output = result.Succeeded.Count > 0 ? output : null,
                format,
                dimension = engine.Dimension,
                backboneHash = engine.BackboneHash,
                embedded = result.Succeeded.Count,
                failed = result.Failed.Select(f => new { path = f.Name, reason = f.Reason }),
            });
        }
        else
        {
            foreach (var failure in result.Failed)
            {
                CliOutput.Error($"{failure.Name}: {failure.Reason}");
            }

            AnsiConsole.MarkupLine($"Embedded [green]{result.Succeeded.Count}[/] of {files.Count} images ({engine.Dimension} values each)" +
                (result.Succeeded.Count > 0 ? $" into {Markup.Escape(output)}" : "") + ".");
        }

        return result.Failed.Count == 0 ? 0 : result.Succeeded.Count > 0 ? 3 : 1;
    }
}
