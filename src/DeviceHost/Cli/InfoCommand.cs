using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DeviceHost.Cli;

/// <summary><c>edgeruntime info</c>: which backbone is loaded, where it runs and what it expects.</summary>
[Description("Show the backbone, execution provider, input specification and embedding size.")]
public sealed class InfoCommand : Command<CommonSettings>
{
    public override int Execute(CommandContext context, CommonSettings settings, CancellationToken cancellationToken)
    {
        using var session = new CliSession(settings);
        var info = session.Engine.Info;
        if (settings.Json)
        {
            CliOutput.WriteJson(new { info, dataDirectory = session.DataDirectory });
            return 0;
        }

        var table = new Table().HideHeaders().AddColumns("", "");
        table.AddRow("Backbone", Markup.Escape(info.Name));
        table.AddRow("Manifest", Markup.Escape(info.ManifestPath));
        table.AddRow("Model", Markup.Escape(info.ModelPath));
        table.AddRow("Execution provider", info.Provider.ToString());
        foreach (var failure in info.ProviderFailures)
        {
            table.AddRow($"  {failure.Provider} unavailable", Markup.Escape(failure.Reason));
        }

        var input = info.Input;
        table.AddRow("Input", Markup.Escape($"'{input.Name}' {input.Layout} {input.Width}x{input.Height} {input.ChannelOrder}, v*{input.Scale} - [{string.Join(", ", input.Mean)}] / [{string.Join(", ", input.Std)}]"));
        table.AddRow("Resize", info.Resize.ToString());
        table.AddRow("Embedding size", info.EmbeddingDimension.ToString(System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("Batch", $"up to {info.MaxBatchSize}{(info.BatchMadeDynamic ? " (fixed batch made dynamic at load)" : "")}");
        table.AddRow("Backbone hash", info.BackboneHash);
        var precision = info.Precision;
        table.AddRow("Precision", Markup.Escape($"{precision.Active} (Backbone:Precision {precision.Configured}){(precision.Reason is { } why ? ": " + why : "")}"));
        if (precision.Quantization is { } q)
        {
            var p = q.Parity;
            table.AddRow("  Calibration", Markup.Escape(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{q.CalibrationImages} images from {q.CalibrationOrigin} (+{q.HeldBackImages} held back), {q.Chosen}, {q.Weights} weights, set {q.CalibrationFingerprint[..16]}, {q.CreatedAt:u}")));
            table.AddRow("  Parity", Markup.Escape(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"median cosine {p.MedianCosine:F4} (min {p.MinimumCosine:F4}), head agreement {(p.HeadAgreement is { } a ? a.ToString("P1", System.Globalization.CultureInfo.InvariantCulture) : "n/a")}, {(q.Passed ? "passed" : "failed: " + q.Reason)}")));
        }
        table.AddRow("Source", Markup.Escape(info.Source ?? "-"));
        table.AddRow("Licence", Markup.Escape(info.Licence ?? "-"));
        table.AddRow("Data directory", Markup.Escape(session.DataDirectory));
        AnsiConsole.Write(table);
        return 0;
    }
}
