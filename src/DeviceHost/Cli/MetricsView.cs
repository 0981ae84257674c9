using System.Globalization;
using EdgeRuntime.Evaluation;
using Spectre.Console;

namespace DeviceHost.Cli;

/// <summary>Prints classification metrics for people: accuracy line, per-class table, confusion matrix.</summary>
public static class MetricsView
{
    public static void Write(IAnsiConsole console, string title, ClassificationMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(metrics);
        var inv = CultureInfo.InvariantCulture;
        var unknown = metrics.Unknown > 0 ? string.Create(inv, $", {metrics.Unknown} unknown (accuracy on answered {metrics.KnownAccuracy:P1})") : "";
        console.MarkupLine(string.Create(inv, $"{Markup.Escape(title)}: accuracy [bold]{metrics.Accuracy:P1}[/] ({metrics.Correct}/{metrics.Total}){unknown}"));

        var perClass = new Table().Title("Per class").AddColumns("Class", "Support", "Precision", "Recall", "F1", "Unknown");
        foreach (var c in metrics.PerClass)
        {
            perClass.AddRow(
                Markup.Escape(c.Name),
                c.Support.ToString(inv),
                c.Predicted == 0 ? "-" : c.Precision.ToString("P1", inv),
                c.Support == 0 ? "-" : c.Recall.ToString("P1", inv),
                c.F1.ToString("F3", inv),
                c.Unknown.ToString(inv));
        }

        perClass.AddRow("[bold]macro[/]", metrics.Total.ToString(inv), metrics.MacroPrecision.ToString("P1", inv), metrics.MacroRecall.ToString("P1", inv), metrics.MacroF1.ToString("F3", inv), metrics.Unknown.ToString(inv));
        console.Write(perClass);
        console.Write(ConfusionTable(metrics));
    }

    /// <summary>Rows are the true class, columns the prediction, with an "unknown" column for answers below the threshold.</summary>
    public static Table ConfusionTable(ClassificationMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var inv = CultureInfo.InvariantCulture;
        var table = new Table().Title("Confusion matrix (rows: true, columns: predicted)");
        table.AddColumn("true \\ predicted");
        foreach (var name in metrics.ClassNames)
        {
            table.AddColumn(new TableColumn(Markup.Escape(name)).RightAligned());
        }

        table.AddColumn(new TableColumn("unknown").RightAligned());
        for (int t = 0; t < metrics.ClassNames.Count; t++)
        {
            var row = new List<string> { Markup.Escape(metrics.ClassNames[t]) };
            for (int p = 0; p < metrics.ClassNames.Count; p++)
            {
                int n = metrics.ConfusionMatrix[t][p];
                var text = n.ToString(inv);
                row.Add(n == 0 ? "[grey]0[/]" : t == p ? $"[green]{text}[/]" : $"[red]{text}[/]");
            }

            int unknown = metrics.PerClass[t].Unknown;
            row.Add(unknown == 0 ? "[grey]0[/]" : $"[yellow]{unknown.ToString(inv)}[/]");
            table.AddRow(row.ToArray());
        }

        return table;
    }
}
