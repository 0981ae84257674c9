using System.ComponentModel;
using System.Globalization;
using EdgeRuntime.Precision;
using EdgeRuntime.Quantization;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DeviceHost.Cli;

/// <summary>
/// <c>edgeruntime quantize</c>: calibrates an int8 backbone on the stored samples now, checks parity against fp32 (with
/// the active head when there is one) and caches it in the data directory, where the service picks it up at its next
/// start (Backbone:Precision Auto or Int8). Exit 0 parity passed, 3 parity failed, 1 could not quantize.
/// </summary>
[Description("Quantize the backbone to int8 on the stored samples, check parity with fp32 and cache the model.")]
public sealed class QuantizeCommand : Command<CommonSettings>
{
    public override int Execute(CommandContext context, CommonSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var session = new CliSession(settings);
        using var workspace = session.OpenWorkspace();
        var engine = session.Engine;
        var options = engine.Options.Quantization;
        var images = BackbonePrecisionSwitch.FromSamples((offset, limit) => workspace.ListSamples(offset, limit), workspace.ImagePathOf, options.MaximumImages);
        using var head = workspace.LoadActiveClassifier(out _);
        var precision = new BackbonePrecisionSwitch(session.DataDirectory, session.SessionFactory, session.Loggers);
        var report = CliProgress.Run<QuantizationProgress, QuantizationReport>(settings, "quantize", images.Count,
            p => (p.Stage == "calibrating" ? p.Done : images.Count, p.Stage),
            progress => precision.QuantizeAndSwitch(engine, images, head is null ? null : HeadChoices.Using(head), progress, cancellationToken, switchEngine: false));

        var path = precision.Cache.ModelPath(report.BackboneHash, report.CalibrationFingerprint);
        if (settings.Json)
        {
            CliOutput.WriteJson(new { report, model = path, configuredPrecision = engine.Options.Precision }, keepNulls: true);
        }
        else
        {
            Print(report, path);
        }

        return report.Passed ? 0 : 3;
    }

    internal static void Print(QuantizationReport report, string path)
    {
        var inv = CultureInfo.InvariantCulture;
        var console = CliOutput.Stdout();
        var table = new Table().AddColumns("Calibration", "Median cosine", "Minimum cosine", "Head agreement", "Parity");
        foreach (var c in report.Candidates)
        {
            table.AddRow($"{c.Method}, {c.Weights} weights" + (ReferenceEquals(c, report.Parity) ? " (kept)" : ""), c.MedianCosine.ToString("F4", inv), c.MinimumCosine.ToString("F4", inv),
                c.HeadAgreement is { } a ? a.ToString("P1", inv) : "no active head", c.Passed ? "[green]passed[/]" : "[red]" + Markup.Escape(c.Failure ?? "failed") + "[/]");
        }

        console.Write(table);
        console.MarkupLine(Markup.Escape(string.Create(inv,
            $"{report.CalibrationImages} images from {report.CalibrationOrigin} calibrated, {report.HeldBackImages} held back, in {report.Seconds:F1} s; calibration set {report.CalibrationFingerprint[..16]}.")));
        console.MarkupLine(report.Passed
            ? $"[green]int8 model cached[/] at {Markup.Escape(path)}; the service uses it at its next start with Backbone:Precision Auto or Int8."
            : $"[yellow]parity failed[/] ({Markup.Escape(report.Reason ?? "")}); Auto stays fp32. Cached at {Markup.Escape(path)} for Backbone:Precision Int8 only.");
    }
}
