using EdgeRuntime.Adaptation;
using EdgeRuntime.Calibration;
using EdgeRuntime.Inference;
using EdgeRuntime.Samples;
using EdgeRuntime.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace EdgeRuntime.Tests.Adaptation;

/// <summary>Adapting a head to a generated camera change from unlabelled frames, through the real backbone.</summary>
public sealed class AdaptationTests(AdaptationFixture fixture, ITestOutputHelper output) : IClassFixture<AdaptationFixture>
{
    [Fact]
    public void Adapting_on_unlabelled_shifted_frames_recovers_most_of_the_lost_accuracy_and_rollback_restores_the_exact_predictions()
    {
        const bool coral = false;
        using var data = new TestDirectory("adaptation");
        using var workspace = Open(data);
        var trained = workspace.Train(new TrainRequest());
        var before = Predict(workspace);

        var outcome = workspace.Adapt(new AdaptRequest([.. fixture.Unlabelled.SelectMany(u => u.Embedding)], "folder", coral));
        var after = Predict(workspace);
        workspace.Rollback("test");
        var rolledBack = Predict(workspace);

        double accuracyBefore = Accuracy(before), accuracyAfter = Accuracy(after);
        output.WriteLine($"coral {coral}: shifted accuracy {accuracyBefore:P1} → {accuracyAfter:P1}; {outcome.Evidence.Reason}; pseudo-labels {outcome.Evidence.PseudoLabelled}");
        Assert.True(outcome.Activated, outcome.Evidence.Reason);
        Assert.Equal(trained.Version, outcome.Evidence.BaseVersion);
        Assert.True(accuracyAfter >= accuracyBefore + 0.5 * (1 - accuracyBefore), $"accuracy {accuracyBefore:P1} → {accuracyAfter:P1}");
        Assert.Equal(trained.Version, workspace.ActiveVersion);
        Assert.Equal(before.Select(p => (p.Label, p.Confidence, p.Novelty)), rolledBack.Select(p => (p.Label, p.Confidence, p.Novelty)));
        var manifest = workspace.GetHead(outcome.Version).Manifest;
        Assert.Equal(trained.Version, manifest.ParentVersion);
        Assert.True(manifest.TrainingSettings!.Value.TryGetProperty("adaptation", out _));
    }

    [Fact]
    public void A_shrinkage_discriminant_head_adapts_by_recentring_its_feature_transform_and_rolls_back_exactly()
    {
        using var data = new TestDirectory("adaptation-discriminant");
        using var workspace = Open(data);
        var trained = workspace.Train(new TrainRequest());
        Assert.True(trained.Recipe?.Family is "Discriminant" or "Ensemble", $"Cross-validation chose {trained.Recipe?.Description}; this test is about a head with a shrinkage-discriminant part.");
        var before = Predict(workspace);

        var outcome = workspace.Adapt(new AdaptRequest([.. fixture.Unlabelled.SelectMany(u => u.Embedding)], "folder"));
        var after = Predict(workspace);
        var adapted = workspace.GetHead(outcome.Version).Manifest;
        workspace.Rollback("test");

        output.WriteLine($"discriminant: shifted accuracy {Accuracy(before):P1} → {Accuracy(after):P1}; {outcome.Evidence.Reason}");
        Assert.True(outcome.Activated, outcome.Evidence.Reason);
        Assert.True(Accuracy(after) > Accuracy(before), $"accuracy {Accuracy(before):P1} → {Accuracy(after):P1}");
        Assert.Equal(outcome.Version, after[0].HeadVersion);
        Assert.Equal(trained.Recipe!.Description, adapted.Recipe?.Description);
        Assert.False(outcome.Evidence.Coral);
        Assert.Equal(0, outcome.Evidence.PseudoLabelled);
        Assert.Equal(before.Select(p => (p.Label, p.Confidence, p.Novelty)), Predict(workspace).Select(p => (p.Label, p.Confidence, p.Novelty)));
    }

    [Fact]
    public void Asking_for_coral_on_a_few_shot_head_is_refused_with_the_reason_and_stores_nothing()
    {
        using var data = new TestDirectory("adaptation-coral");
        using var workspace = Open(data);
        var trained = workspace.Train(new TrainRequest());
        var heads = workspace.ListHeads().Count;

        var refused = Assert.Throws<AdaptationException>(() => workspace.Adapt(new AdaptRequest([.. fixture.Unlabelled.SelectMany(u => u.Embedding)], "folder", Coral: true, Force: true)));

        Assert.Contains("few-shot head", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Adapt without CORAL", refused.Message, StringComparison.Ordinal);
        Assert.Equal(heads, workspace.ListHeads().Count);
        Assert.Equal(trained.Version, workspace.ActiveVersion);
    }

    [Fact]
    public void Adapting_with_too_few_frames_or_without_a_head_is_refused_and_changes_nothing()
    {
        using var data = new TestDirectory("adaptation-bad");
        using var workspace = Open(data);
        var none = Assert.Throws<AdaptationException>(() => workspace.Adapt(new AdaptRequest([.. fixture.Unlabelled.SelectMany(u => u.Embedding)], "live")));
        workspace.Train(new TrainRequest());
        int heads = workspace.ListHeads().Count;

        var empty = Assert.Throws<AdaptationException>(() => workspace.Adapt(new AdaptRequest([], "live")));
        var few = Assert.Throws<AdaptationException>(() => workspace.Adapt(new AdaptRequest([.. fixture.Unlabelled.Take(3).SelectMany(u => u.Embedding)], "live")));

        Assert.Contains("No head is active", none.Message, StringComparison.Ordinal);
        Assert.Contains("got 0", empty.Message, StringComparison.Ordinal);
        Assert.Contains("got 3", few.Message, StringComparison.Ordinal);
        Assert.Equal(heads, workspace.ListHeads().Count);
    }

    [Fact]
    public async Task Adapting_while_a_training_runs_is_refused_as_busy()
    {
        using var data = new TestDirectory("adaptation-busy");
        using var workspace = Open(data);
        workspace.Train(new TrainRequest());
        using var started = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var training = Task.Run(() => workspace.Train(new TrainRequest(), new BlockingProgress(started, release)));
        Assert.True(started.Wait(TimeSpan.FromMinutes(1)));

        var busy = Assert.Throws<TrainingInProgressException>(() => workspace.Adapt(new AdaptRequest([.. fixture.Unlabelled.SelectMany(u => u.Embedding)], "live")));
        release.Set();
        await training;

        Assert.Contains("in progress", busy.Message, StringComparison.Ordinal);
    }

    private CalibrationWorkspace Open(TestDirectory data)
    {
        var workspace = new CalibrationWorkspace(data.Path, fixture.Backbone.Engine, fixture.Backbone.Factory, new CalibrationOptions { AugmentedViews = 0 }, NullLoggerFactory.Instance);
        foreach (var (sample, i) in fixture.Calibration.Select((s, i) => (s, i)))
        {
            workspace.AddSample(sample.Png, sample.Label, SampleSource.Import, $"{sample.Label}-{i}.png", sample.Embedding, DateTimeOffset.UnixEpoch);
        }

        return workspace;
    }

    private List<Prediction> Predict(CalibrationWorkspace workspace)
    {
        using var head = workspace.LoadActiveClassifier(out _)!;
        return [.. fixture.Test.Select(t => head.Classify(t.Embedding, 1, DateTimeOffset.UnixEpoch, TimeSpan.Zero))];
    }

    private double Accuracy(List<Prediction> predictions) =>
        predictions.Zip(fixture.Test).Count(p => p.First.TopK[0].Label == p.Second.Label) / (double)predictions.Count;

    /// <summary>Holds the training at its first epoch until released, so another call can meet it running.</summary>
    private sealed class BlockingProgress(ManualResetEventSlim started, ManualResetEventSlim release) : IProgress<EdgeRuntime.Training.TrainingProgress>
    {
        public void Report(EdgeRuntime.Training.TrainingProgress value)
        {
            started.Set();
            release.Wait();
        }
    }
}
