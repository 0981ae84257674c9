using DeviceHost.Cli.Remote;
using System.ComponentModel;
using System.Globalization;
using EdgeRuntime.Calibration;
using EdgeRuntime.Heads;
using EdgeRuntime.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DeviceHost.Cli;

/// <summary>
/// <c>edgeruntime train</c>: trains a head on the stored samples, shows its holdout metrics and what the gate did.
/// Exit 0 when a head was trained (activated or kept: both are normal outcomes).
/// </summary>
[Description("Train a classifier head on the stored samples; the evaluation gate decides whether it becomes active.")]
public sealed class TrainCommand : Command<TrainSettings>
{
    public override int Execute(CommandContext context, TrainSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var session = new CliSession(settings);
        if (session.ServiceHoldsData())
        {
            return RemoteCommands.TrainAsync(session, settings, cancellationToken).GetAwaiter().GetResult();
        }

        using var workspace = session.OpenWorkspace();
        var request = new TrainRequest
        {
            HeadKind = settings.Hidden ? HeadKind.Hidden : null,
            Force = settings.Force,
            Note = settings.Note,
            Instant = settings.Instant,
            Source = HeadTriggerSource.Cli,
            User = Environment.UserName,
        };
        int epochs = workspace.Options.Epochs;
        var outcome = settings.Instant
            ? CliProgress.Status(settings, "imprinting an instant head", () => workspace.Train(request, null, cancellationToken))
            : CliProgress.Run<TrainingProgress, TrainingOutcome>(
                settings,
                "train",
                epochs,
                p => (p.Epoch, string.Create(CultureInfo.InvariantCulture, $"epoch {p.Epoch} loss {p.TrainLoss:F3} holdout {p.HoldoutLoss:F3} {p.HoldoutAccuracy:P0}")),
                progress => workspace.Train(request, progress, cancellationToken));

        if (settings.Json)
        {
            var result = new
            {
                version = outcome.Version,
                metrics = outcome.Metrics,
                activeVersion = outcome.ActiveVersion,
                activeMetrics = outcome.ActiveMetrics,
                gate = new { outcome = outcome.Gate.Outcome, reason = outcome.Gate.Reason, forced = outcome.Gate.Forced },
                activated = outcome.Activated,
                unknownThreshold = outcome.UnknownThreshold,
                nowActive = workspace.ActiveVersion,
                trainSamples = outcome.TrainSamples,
                holdoutSamples = outcome.HoldoutSamples,
                epochs = outcome.History.Count,
                recipe = outcome.Recipe is { } r ? new { r.Description, r.Family, r.FeatureTransform, r.WeightDecay, r.Shrinkage, r.Views, r.Instant, r.CrossValidationAccuracy, r.CrossValidationStandardError, r.Folds, r.NoEstimateReason } : null,
                explicitHoldoutMetrics = outcome.ExplicitHoldoutMetrics,
            };

            // No active head to compare with is an answer: activeVersion and activeMetrics are written as null.
            CliOutput.WriteJson(result, keepNulls: true);
            return 0;
        }

        var console = CliOutput.Stdout();
        var inv = CultureInfo.InvariantCulture;
        var name = HeadVersion.FormatName(outcome.Version);
        var recipe = outcome.Recipe;
        console.MarkupLine(string.Create(inv, $"Trained head [bold]{name}[/] on all {outcome.TrainSamples} samples ({recipe?.AugmentedRows ?? 0} augmented views{(outcome.HoldoutSamples > 0 ? $", {outcome.HoldoutSamples} kept as explicit holdout" : "")})."));
        if (recipe is not null)
        {
            console.MarkupLine($"Recipe: [bold]{Markup.Escape(recipe.Description)}[/]{(recipe.Instant ? $" [yellow](instant head: {InstantHint(workspace)})[/]" : "")}");
            console.MarkupLine(recipe.CrossValidationAccuracy is { } cv
                ? string.Create(inv, $"Cross-validation estimate: {cv:P1} ± {recipe.CrossValidationStandardError:P1} ({recipe.Folds}-fold, seed {recipe.Seed}).")
                : $"No cross-validation estimate: {Markup.Escape(recipe.NoEstimateReason ?? "")}.");
        }

        if (outcome.Metrics is { } metrics)
        {
            MetricsView.Write(console, "Cross-validation (out-of-fold)", metrics);
        }

        if (outcome.ExplicitHoldoutMetrics is { } holdout)
        {
            MetricsView.Write(console, "Explicit holdout", holdout);
        }

        if (outcome.ActiveMetrics is { } active && outcome.ActiveVersion is { } activeVersion)
        {
            console.MarkupLine(string.Create(inv, $"Active head {HeadVersion.FormatName(activeVersion)} on the same unseen data: accuracy {active.Accuracy:P1} ({active.Correct}/{active.Total})."));
        }

        console.MarkupLine(string.Create(inv, $"Unknown threshold: {outcome.UnknownThreshold:F3} (answers below it are reported as unknown)."));
        var forced = outcome.Gate.Forced ? " [yellow](forced)[/]" : "";
        console.MarkupLine(outcome.Activated
            ? $"Gate: [green]activate[/]{forced}: {Markup.Escape(outcome.Gate.Reason)}. [bold]{name}[/] is now active."
            : $"Gate: [yellow]keep[/]: {Markup.Escape(outcome.Gate.Reason)}. {Markup.Escape(ActiveName(workspace))} stays active; " +
              $"use [bold]edgeruntime heads activate {outcome.Version.ToString(inv)}[/] or train with --force to switch.");
        return 0;
    }

    private static string InstantHint(CalibrationWorkspace workspace) => workspace.CrossValidationProblem() is null
        ? "run edgeruntime train for the cross-validated head"
        : "run train again once every class has two samples";

    private static string ActiveName(CalibrationWorkspace workspace) =>
        workspace.ActiveVersion is { } v ? HeadVersion.FormatName(v) : "no head";
}
