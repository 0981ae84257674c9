using Spectre.Console;

namespace DeviceHost.Cli;

/// <summary>
/// Shows the progress of one long step: a Spectre progress bar on an interactive terminal, otherwise (output
/// redirected, or --json) plain lines on stderr, so logs and scripts still see progress and stdout stays clean.
/// </summary>
public static class CliProgress
{
    /// <summary>True when tables and progress bars may be drawn on stdout.</summary>
    public static bool Interactive(CommonSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return !settings.Json && AnsiConsole.Profile.Capabilities.Interactive;
    }

    /// <summary>
    /// Runs <paramref name="work"/> with a progress sink. <paramref name="describe"/> turns a report into steps done
    /// (of <paramref name="total"/>) and an optional detail (loss, accuracy). Until the first report the bar is
    /// indeterminate: the step may begin with work that reports nothing (embedding before training).
    /// </summary>
    public static T Run<TReport, T>(CommonSettings settings, string label, int total, Func<TReport, (int Done, string? Detail)> describe, Func<IProgress<TReport>, T> work)
    {
        ArgumentNullException.ThrowIfNull(describe);
        ArgumentNullException.ThrowIfNull(work);
        if (Interactive(settings))
        {
            return AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask(Markup.Escape(label), maxValue: Math.Max(1, total));
                    task.IsIndeterminate = true;
                    var result = work(new SyncProgress<TReport>(report =>
                    {
                        var (done, detail) = describe(report);
                        task.IsIndeterminate = false;
                        task.Value = done;
                        if (detail is not null)
                        {
                            task.Description = Markup.Escape($"{label} {detail}");
                        }
                    }));

                    // Done may come before the planned total (early stopping): show a finished bar, not 8 %.
                    task.IsIndeterminate = false;
                    task.Value = task.MaxValue;
                    return result;
                });
        }

        var lines = new ProgressLines(Console.Error, label, total);
        return work(new SyncProgress<TReport>(report =>
        {
            var (done, detail) = describe(report);
            lines.Report(done, detail);
        }));
    }

    /// <summary>A spinner with <paramref name="status"/> on an interactive terminal, for steps that report no progress.</summary>
    public static T Status<T>(CommonSettings settings, string status, Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return Interactive(settings) ? AnsiConsole.Status().Start(Markup.Escape(status), _ => work()) : work();
    }

    /// <summary>Counting progress (files done of <paramref name="total"/>).</summary>
    public static T Count<T>(CommonSettings settings, string label, int total, Func<IProgress<int>, T> work) =>
        Run<int, T>(settings, label, total, done => (done, null), work);
}
