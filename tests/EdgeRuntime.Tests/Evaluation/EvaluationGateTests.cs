using EdgeRuntime.Evaluation;

namespace EdgeRuntime.Tests.Evaluation;

public sealed class EvaluationGateTests
{
    private readonly EvaluationGate _gate = new();

    [Fact]
    public void The_first_head_ever_is_activated()
    {
        var d = _gate.Decide(new GateInput { Candidate = GateMetrics.Accuracy(40) });

        Assert.Equal(GateOutcome.Activate, d.Outcome);
        Assert.Null(d.ComparedWithVersion);
        Assert.Contains("first head", d.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_better_candidate_is_activated()
    {
        var d = Decide(candidateCorrect: 91, activeCorrect: 88);

        Assert.True(d.ShouldActivate);
        Assert.Equal("holdout accuracy 0.91 is 0.03 above active v3's 0.88", d.Reason);
        Assert.Equal(0.91, d.CandidateAccuracy);
        Assert.Equal(0.88, d.ActiveAccuracy);
    }

    [Fact]
    public void A_slightly_worse_candidate_within_tolerance_is_activated()
    {
        var d = Decide(candidateCorrect: 87, activeCorrect: 88);

        Assert.True(d.ShouldActivate);
        Assert.Equal("holdout accuracy 0.87 is 0.01 below active v3's 0.88, within tolerance 0.02", d.Reason);
    }

    [Fact]
    public void A_candidate_exactly_at_the_tolerance_is_activated()
    {
        Assert.True(Decide(candidateCorrect: 86, activeCorrect: 88).ShouldActivate);
    }

    [Fact]
    public void A_worse_candidate_is_kept_with_the_numbers_in_the_reason()
    {
        var d = Decide(candidateCorrect: 81, activeCorrect: 88);

        Assert.Equal(GateOutcome.Keep, d.Outcome);
        Assert.False(d.Forced);
        Assert.Equal("holdout accuracy 0.81 is 0.07 below active v3's 0.88, tolerance 0.02", d.Reason);
    }

    [Fact]
    public void A_forced_candidate_is_activated_and_the_decision_says_so()
    {
        var d = Decide(candidateCorrect: 81, activeCorrect: 88, force: true);

        Assert.Equal(GateOutcome.Activate, d.Outcome);
        Assert.True(d.Forced);
        Assert.StartsWith("forced (the gate would have kept the active head): holdout accuracy 0.81", d.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wider_tolerance_lets_a_worse_candidate_through()
    {
        var d = new EvaluationGate(0.1).Decide(Input(81, 88, force: false));

        Assert.True(d.ShouldActivate);
        Assert.Equal(0.1, d.Tolerance);
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void A_tolerance_outside_zero_to_one_is_refused(double tolerance)
    {
        var ex = Assert.Throws<EdgeRuntimeException>(() => new EvaluationGate(tolerance));
        Assert.Contains("tolerance", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    private GateDecision Decide(int candidateCorrect, int activeCorrect, bool force = false) =>
        _gate.Decide(Input(candidateCorrect, activeCorrect, force));

    private static GateInput Input(int candidateCorrect, int activeCorrect, bool force) => new()
    {
        Candidate = GateMetrics.Accuracy(candidateCorrect),
        Active = new ActiveHeadEvaluation(3, GateMetrics.Accuracy(activeCorrect)),
        Force = force,
    };
}
