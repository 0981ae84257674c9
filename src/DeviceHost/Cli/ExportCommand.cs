using System.ComponentModel;
using System.Globalization;
using EdgeRuntime.Heads;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DeviceHost.Cli;

/// <summary><c>edgeruntime export</c>: one ONNX file with preprocessing, backbone and the active head.</summary>
[Description("Write one ONNX model (preprocessing + backbone + active head, labels in its metadata) for use elsewhere.")]
public sealed class ExportCommand : Command<ExportSettings>
{
    public override int Execute(CommandContext context, ExportSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var output = Path.GetFullPath(settings.Output);
        using var session = new CliSession(settings);
        using var workspace = session.OpenWorkspace();
        int version = CliProgress.Status(settings, $"Writing {output}", () => workspace.Export(output, session.Engine.Info.ManifestPath));
        var head = workspace.GetHead(version);
        long bytes = new FileInfo(output).Length;
        if (settings.Json)
        {
            CliOutput.WriteJson(new { output, bytes, headVersion = version, labels = head.Manifest.Labels, unknownThreshold = head.Manifest.UnknownThreshold, backbone = session.Engine.Info.Name });
            return 0;
        }

        CliOutput.Stdout().MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"Exported {Markup.Escape(session.Engine.Info.Name)} + head [bold]{HeadVersion.FormatName(version)}[/] ({Markup.Escape(string.Join(", ", head.Manifest.Labels))}) to {Markup.Escape(output)} ({bytes / 1024.0 / 1024.0:F1} MiB)."));
        return 0;
    }
}
