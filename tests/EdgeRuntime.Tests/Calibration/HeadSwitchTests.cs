using EdgeRuntime.Calibration;
using EdgeRuntime.Evaluation;
using EdgeRuntime.Heads;
using EdgeRuntime.TestSupport;
using EdgeRuntime.Tests.Heads;
using EdgeRuntime.Training;

namespace EdgeRuntime.Tests.Calibration;

/// <summary>Which head runs when switches race, when a head cannot run, and when a rollback target is for another backbone.</summary>
[Collection(CalibrationTestGroup.Name)]
public sealed class HeadSwitchTests(CalibrationFixture fixture)
{
    [Fact]
    public void A_training_job_does_not_override_a_head_a_technician_activated_while_it_ran()
    {
        using var data = new TestDirectory("switch-race");
        using var workspace = fixture.Open(data);
        fixture.AddAll(workspace);
        var v1 = workspace.Train(new TrainRequest());
        var v2 = workspace.Train(new TrainRequest { Force = true });
        Assert.Equal(v2.Version, workspace.ActiveVersion);

        // The technician's switch lands in the middle of the third training (its first epoch report).
        bool switched = false;
        var progress = new SynchronousProgress<TrainingProgress>(_ =>
        {
            if (!switched)
            {
                switched = true;
                workspace.Activate(v1.Version, "technician prefers v1", forced: true);
            }
        });
        var v3 = workspace.Train(new TrainRequest { Force = true, Note = "forced, but the technician switched meanwhile" }, progress);

        Assert.True(switched);
        Assert.False(v3.Activated);
        Assert.Equal(v1.Version, workspace.ActiveVersion);
        Assert.Equal(GateOutcome.Keep, workspace.GetHead(v3.Version).Manifest.Gate.Outcome);
        Assert.Contains("changed from v2 to v1", v3.Gate.Reason, StringComparison.Ordinal);
        using var running = workspace.LoadActiveClassifier(out _);
        Assert.Equal(v1.Version, running!.Version);
    }

    [Fact]
    public void A_head_whose_session_cannot_start_falls_back_to_the_previous_one_instead_of_failing()
    {
        using var data = new TestDirectory("switch-unloadable");
        using var workspace = fixture.Open(data);
        fixture.AddAll(workspace);
        var v1 = workspace.Train(new TrainRequest());

        // Intact files (their hashes match the manifest) that ONNX Runtime cannot load: not corruption, still unusable.
        var broken = workspace.Registry.Add(TestHeads.Payload(seed: 7) with { BackboneHash = workspace.BackboneHash });
        workspace.Registry.Activate(broken.Version, "test: an unloadable head");

        using var classifier = workspace.LoadActiveClassifier(out var problems);

        Assert.Equal(v1.Version, classifier!.Version);
        Assert.Contains(problems, p => p.StartsWith($"Head v{broken.Version} cannot run", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains($"running v{v1.Version} instead", StringComparison.Ordinal));
    }

    [Fact]
    public void Rollback_to_a_head_of_another_backbone_is_refused_like_activation()
    {
        using var data = new TestDirectory("switch-rollback-backbone");
        using var workspace = fixture.Open(data);
        fixture.AddAll(workspace);
        var foreign = workspace.Registry.Add(TestHeads.Payload(seed: 3) with { BackboneHash = "some-other-backbone" });
        workspace.Registry.Activate(foreign.Version, "test: a head from before a backbone change");
        var trained = workspace.Train(new TrainRequest { Force = true });
        Assert.Equal(trained.Version, workspace.ActiveVersion);

        var ex = Assert.Throws<HeadBackboneMismatchException>(() => workspace.Rollback("technician"));

        Assert.Contains("another backbone", ex.Message, StringComparison.Ordinal);
        Assert.Equal(trained.Version, workspace.ActiveVersion);
    }
}
