using System.Globalization;
using System.Net;
using System.Text;
using EdgeRuntime.Evaluation;
using EdgeRuntime.Heads;
using EdgeRuntime.Samples;

namespace DeviceHost.Reports;

/// <summary>
/// The technician's record of a calibration: one self-contained, printable HTML page (no scripts, no external
/// resources) with classes and sample counts, holdout metrics before and after, the confusion matrix and the gate's
/// decision.
/// </summary>
public static class CalibrationReport
{
    private const string Style = "body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:.5em 0 1.5em}"
        + "td,th{border:1px solid #bbb;padding:.3em .6em;text-align:right}th{background:#eee}td.l,th.l{text-align:left}"
        + ".ok{color:#176b1b}.kept{color:#9a5b00}@media print{body{margin:0}}";

    public static string Render(HeadManifest head, HeadManifest? previous, IReadOnlyList<ClassCount> classes, int? activeVersion)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(classes);
        var inv = CultureInfo.InvariantCulture;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append(inv, $"<title>Calibration report {E(head.Name)}</title><style>{Style}</style></head><body>")
            .Append(inv, $"<h1>Calibration report: head {E(head.Name)}</h1>")
            .Append(inv, $"<p>Trained {head.CreatedUtc:yyyy-MM-dd HH:mm} UTC, {E(head.HeadKind)} head, triggered by {E(head.Trigger.Source.ToString())}")
            .Append(head.Trigger.Note is { } note ? " (" + E(note) + ")" : "")
            .Append(head.Version == activeVersion ? ". It is the active head.</p>" : ". It is not the active head.</p>")
            .Append(inv, $"<p class=\"{(head.Gate.ShouldActivate ? "ok" : "kept")}\"><strong>Evaluation gate: {(head.Gate.ShouldActivate ? "activated" : "kept, not activated")}")
            .Append(head.Gate.Forced ? " (forced)" : "")
            .Append(inv, $"</strong> &mdash; {E(head.Gate.Reason)}</p>")
            .Append("<h2>Classes and samples</h2><table><tr><th class=\"l\">Class</th><th>Train</th><th>Holdout</th></tr>");
        foreach (var c in classes)
        {
            html.Append(inv, $"<tr><td class=\"l\">{E(c.Label)}</td><td>{c.Train}</td><td>{c.Holdout}</td></tr>");
        }

        html.Append("</table><h2>Holdout metrics</h2><table><tr><th class=\"l\"></th><th>Accuracy</th><th>Macro precision</th><th>Macro recall</th><th>Holdout images</th></tr>");
        if (previous?.HoldoutMetrics is { } before)
        {
            html.Append(MetricsRow($"Before ({previous.Name})", before));
        }

        if (head.HoldoutMetrics is { } after)
        {
            html.Append(MetricsRow($"After ({head.Name})", after));
            html.Append("</table><h2>Per class</h2><table><tr><th class=\"l\">Class</th><th>Precision</th><th>Recall</th><th>F1</th><th>Support</th></tr>");
            foreach (var c in after.PerClass)
            {
                html.Append(inv, $"<tr><td class=\"l\">{E(c.Name)}</td><td>{c.Precision:P1}</td><td>{c.Recall:P1}</td><td>{c.F1:F3}</td><td>{c.Support}</td></tr>");
            }

            html.Append("</table><h2>Confusion matrix</h2><p>Rows: true class; columns: predicted class.</p>");
            html.Append(ConfusionMatrix(after));
        }
        else
        {
            html.Append("</table>");
        }

        html.Append(inv, $"<p>Unknown threshold {head.UnknownThreshold:F3}; labels {E(string.Join(", ", head.Labels))}; dataset {E(head.DatasetFingerprint[..Math.Min(16, head.DatasetFingerprint.Length)])}; backbone {E(head.BackboneHash)}.</p></body></html>");
        return html.ToString();
    }

    private static string MetricsRow(string name, ClassificationMetrics m) =>
        string.Create(CultureInfo.InvariantCulture, $"<tr><td class=\"l\">{E(name)}</td><td>{m.Accuracy:P1}</td><td>{m.MacroPrecision:P1}</td><td>{m.MacroRecall:P1}</td><td>{m.Total}</td></tr>");

    private static string ConfusionMatrix(ClassificationMetrics m)
    {
        var inv = CultureInfo.InvariantCulture;
        var html = new StringBuilder("<table><tr><th></th>");
        foreach (var name in m.ClassNames)
        {
            html.Append(inv, $"<th>{E(name)}</th>");
        }

        html.Append("</tr>");
        int max = Math.Max(1, m.ConfusionMatrix.SelectMany(r => r).DefaultIfEmpty(0).Max());
        for (int i = 0; i < m.ClassNames.Count; i++)
        {
            html.Append(inv, $"<tr><th class=\"l\">{E(m.ClassNames[i])}</th>");
            for (int j = 0; j < m.ClassNames.Count; j++)
            {
                int count = m.ConfusionMatrix[i][j];
                int shade = 255 - (int)(160.0 * count / max);
                var colour = i == j ? $"rgb({shade},255,{shade})" : count > 0 ? $"rgb(255,{shade},{shade})" : "#fff";
                html.Append(inv, $"<td style=\"background:{colour}\">{count}</td>");
            }

            html.Append("</tr>");
        }

        return html.Append("</table>").ToString();
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
