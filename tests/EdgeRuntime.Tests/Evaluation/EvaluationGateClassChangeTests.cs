using EdgeRuntime.Evaluation;

namespace EdgeRuntime.Tests.Evaluation;

public sealed class EvaluationGateClassChangeTests
{
    private static readonly string[] Old = ["ok", "scratch"];
    private static readonly string[] WithDent = ["ok", "scratch", "dent"];

    [Fact]
    public void Adding_a_class_compares_on_the_shared_classes_only()
    {
        // Overall 20/30 = 0.67 would lose to the active 0.90; on what both heads know it is 1.00 against 0.90.
        var candidate = GateMetrics.Build(WithDent, ("ok", 10, 10), ("scratch", 10, 10), ("dent", 10, 0));
        var active = GateMetrics.Build(Old, ("ok", 10, 9), ("scratch", 10, 9));

        var d = new EvaluationGate().Decide(new GateInput { Candidate = candidate, Active = new ActiveHeadEvaluation(2, active) });

        Assert.True(d.ShouldActivate);
        Assert.Equal(["ok", "scratch"], d.ComparedClasses!);
        Assert.Equal("holdout accuracy on the shared classes (ok, scratch) 1.00 is 0.10 above active v2's 0.90; class set changed: added dent", d.Reason);
    }

    [Fact]
    public void Adding_a_class_does_not_hide_a_regression_on_the_old_classes()
    {
        var candidate = GateMetrics.Build(WithDent, ("ok", 10, 7), ("scratch", 10, 7), ("dent", 10, 10));
        var active = GateMetrics.Build(Old, ("ok", 10, 9), ("scratch", 10, 9));

        var d = new EvaluationGate().Decide(new GateInput { Candidate = candidate, Active = new ActiveHeadEvaluation(2, active) });

        Assert.Equal(GateOutcome.Keep, d.Outcome);
        Assert.Contains("0.70 is 0.20 below active v2's 0.90", d.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_removed_class_is_named_and_the_rest_compared()
    {
        var candidate = GateMetrics.Build(["ok"], ("ok", 10, 9));
        var active = GateMetrics.Build(Old, ("ok", 10, 9), ("scratch", 10, 2));

        var d = new EvaluationGate().Decide(new GateInput { Candidate = candidate, Active = new ActiveHeadEvaluation(4, active) });

        Assert.True(d.ShouldActivate);
        Assert.EndsWith("equals active v4's 0.90; class set changed: removed scratch", d.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void With_no_class_in_common_the_candidate_is_kept_unless_forced()
    {
        var candidate = GateMetrics.Build(["rust", "dent"], ("rust", 5, 5), ("dent", 5, 5));
        var active = new ActiveHeadEvaluation(1, GateMetrics.Build(Old, ("ok", 5, 1)));

        var kept = new EvaluationGate().Decide(new GateInput { Candidate = candidate, Active = active });
        var forced = new EvaluationGate().Decide(new GateInput { Candidate = candidate, Active = active, Force = true });

        Assert.Equal(GateOutcome.Keep, kept.Outcome);
        Assert.Contains("no class in common with active v1", kept.Reason, StringComparison.Ordinal);
        Assert.Equal(GateOutcome.Activate, forced.Outcome);
        Assert.True(forced.Forced);
    }

    [Fact]
    public void Metrics_from_different_holdout_sets_are_refused()
    {
        var candidate = GateMetrics.Build(Old, ("ok", 10, 10), ("scratch", 10, 10));
        var active = GateMetrics.Build(Old, ("ok", 12, 10), ("scratch", 10, 10));

        var ex = Assert.Throws<EdgeRuntimeException>(() => new EvaluationGate().Decide(new GateInput { Candidate = candidate, Active = new ActiveHeadEvaluation(2, active) }));
        Assert.Contains("class 'ok' has 10 holdout samples for the candidate but 12", ex.Message, StringComparison.Ordinal);
    }
}
