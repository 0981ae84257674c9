using System.Globalization;

namespace EdgeRuntime.Evaluation;

/// <summary>
/// Decides whether a freshly trained head replaces the active one, by holdout accuracy (unknown answers count as
/// wrong): activate when the candidate is at most <see cref="Tolerance"/> below the active head.
/// </summary>
/// <remarks>
/// When the class sets differ (a class was added or removed) the two heads are compared on the classes they share:
/// accuracy over holdout samples of those classes, where predicting any other class is a miss. That lets technicians
/// add a class without forcing, while still refusing a head that got worse at what the device already did. With no
/// class in common (or no holdout sample of a shared class) nothing can be compared and the candidate is kept unless
/// forced. The first head ever always activates.
/// </remarks>
public sealed class EvaluationGate
{
    /// <summary>Two accuracy points.</summary>
    public const double DefaultTolerance = 0.02;

    // Accuracies are ratios of small integers; this keeps "exactly at the tolerance" on the activating side.
    private const double Epsilon = 1e-9;

    /// <summary>Creates a gate; <paramref name="tolerance"/> is a fraction between 0 and 1.</summary>
    public EvaluationGate(double tolerance = DefaultTolerance)
    {
        if (!double.IsFinite(tolerance) || tolerance < 0 || tolerance > 1)
        {
            throw new EdgeRuntimeException(string.Create(CultureInfo.InvariantCulture, $"Gate tolerance must be between 0 and 1 (a fraction of accuracy), not {tolerance}."));
        }

        Tolerance = tolerance;
    }

    /// <summary>How far below the active head's accuracy a candidate may be and still activate.</summary>
    public double Tolerance { get; }

    /// <summary>Judges the candidate; throws <see cref="EdgeRuntimeException"/> when the two metrics cannot come from the same holdout set.</summary>
    public GateDecision Decide(GateInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var candidate = input.Candidate;
        if (input.Active is not { } active)
        {
            return Decision(input, GateOutcome.Activate, "first head: nothing active to compare with, holdout accuracy " + F(candidate.Accuracy), null, null, null, null);
        }

        var activeNames = new HashSet<string>(active.Metrics.ClassNames, StringComparer.Ordinal);
        var shared = candidate.ClassNames.Where(activeNames.Contains).ToList();
        bool sameClasses = shared.Count == candidate.ClassNames.Count && shared.Count == activeNames.Count;
        var sharedSet = new HashSet<string>(shared, StringComparer.Ordinal);
        CheckSameHoldout(candidate, active, sharedSet);

        var (candidateCorrect, candidateTotal) = candidate.CountOver(sharedSet);
        var (activeCorrect, activeTotal) = active.Metrics.CountOver(sharedSet);
        string change = sameClasses ? string.Empty : "; " + DescribeChange(candidate.ClassNames, active.Metrics.ClassNames);
        var compared = sameClasses ? null : shared;
        if (candidateTotal == 0 || activeTotal == 0)
        {
            string why = shared.Count == 0
                ? $"no class in common with active v{Int(active.Version)}, so the heads cannot be compared{change}"
                : $"no holdout sample of the classes shared with active v{Int(active.Version)} ({string.Join(", ", shared)}), so the heads cannot be compared{change}";
            return Decision(input, GateOutcome.Keep, why, active.Version, null, null, compared);
        }

        double candidateAccuracy = (double)candidateCorrect / candidateTotal;
        double activeAccuracy = (double)activeCorrect / activeTotal;
        double delta = candidateAccuracy - activeAccuracy;
        string subject = sameClasses ? "holdout accuracy" : $"holdout accuracy on the shared classes ({string.Join(", ", shared)})";
        string versus = $"active v{Int(active.Version)}'s {F(activeAccuracy)}";
        GateOutcome outcome;
        string reason;
        if (Math.Abs(delta) < Epsilon)
        {
            (outcome, reason) = (GateOutcome.Activate, $"{subject} {F(candidateAccuracy)} equals {versus}");
        }
        else if (delta > 0)
        {
            (outcome, reason) = (GateOutcome.Activate, $"{subject} {F(candidateAccuracy)} is {F(delta)} above {versus}");
        }
        else if (-delta <= Tolerance + Epsilon)
        {
            (outcome, reason) = (GateOutcome.Activate, $"{subject} {F(candidateAccuracy)} is {F(-delta)} below {versus}, within tolerance {F(Tolerance)}");
        }
        else
        {
            (outcome, reason) = (GateOutcome.Keep, $"{subject} {F(candidateAccuracy)} is {F(-delta)} below {versus}, tolerance {F(Tolerance)}");
        }

        return Decision(input, outcome, reason + change, active.Version, candidateAccuracy, activeAccuracy, compared);
    }

    private GateDecision Decision(GateInput input, GateOutcome outcome, string reason, int? version, double? candidateAccuracy, double? activeAccuracy, IReadOnlyList<string>? compared) => new()
    {
        Outcome = input.Force ? GateOutcome.Activate : outcome,
        Reason = input.Force ? $"forced ({(outcome == GateOutcome.Activate ? "the gate would have activated too" : "the gate would have kept the active head")}): {reason}" : reason,
        Forced = input.Force,
        ComparedWithVersion = version,
        CandidateAccuracy = candidateAccuracy,
        ActiveAccuracy = activeAccuracy,
        ComparedClasses = compared,
        Tolerance = Tolerance,
    };

    private static void CheckSameHoldout(ClassificationMetrics candidate, ActiveHeadEvaluation active, HashSet<string> shared)
    {
        foreach (var name in shared)
        {
            int c = candidate.PerClass.First(m => string.Equals(m.Name, name, StringComparison.Ordinal)).Support;
            int a = active.Metrics.PerClass.First(m => string.Equals(m.Name, name, StringComparison.Ordinal)).Support;
            if (c != a)
            {
                throw new EdgeRuntimeException(string.Create(CultureInfo.InvariantCulture, $"Candidate and active v{active.Version} were not measured on the same holdout set: class '{name}' has {c} holdout samples for the candidate but {a} for the active head."));
            }
        }
    }

    private static string DescribeChange(IReadOnlyList<string> candidate, IReadOnlyList<string> active)
    {
        var added = candidate.Except(active, StringComparer.Ordinal).ToList();
        var removed = active.Except(candidate, StringComparer.Ordinal).ToList();
        var parts = new List<string>(2);
        if (added.Count > 0)
        {
            parts.Add("added " + string.Join(", ", added));
        }

        if (removed.Count > 0)
        {
            parts.Add("removed " + string.Join(", ", removed));
        }

        return "class set changed: " + string.Join("; ", parts);
    }

    private static string F(double value) => value.ToString("0.00#", CultureInfo.InvariantCulture);

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
}
