using EdgeRuntime.Calibration;
using EdgeRuntime.Novelty;
using EdgeRuntime.Samples;
using EdgeRuntime.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace EdgeRuntime.Tests.Novelty;

/// <summary>A head trained on four generated families meets two families it never saw, through the real backbone.</summary>
public sealed class OpenSetTests(OpenSetFixture fixture, ITestOutputHelper output) : IClassFixture<OpenSetFixture>
{
    [Fact]
    public void Unseen_families_are_flagged_more_often_and_ranked_better_than_by_max_softmax_while_known_ones_stay_near_the_target()
    {
        using var data = new TestDirectory("novelty-open-set");
        var options = new CalibrationOptions { AugmentedViews = 0, UnknownFalseRejectRate = 0.05 };
        using var workspace = new CalibrationWorkspace(data.Path, fixture.Backbone.Engine, fixture.Backbone.Factory, options, NullLoggerFactory.Instance);
        foreach (var (image, i) in fixture.Train.Select((image, i) => (image, i)))
        {
            workspace.AddSample(image.Png, image.Label, SampleSource.Import, $"{image.Label}-{i}.png", image.Embedding);
        }

        var outcome = workspace.Train(new TrainRequest());
        var manifest = workspace.Registry.Get(outcome.Version).Manifest;
        using var head = workspace.LoadActiveClassifier(out _)!;
        var known = fixture.KnownTest.Select(i => head.Classify(i.Embedding, 1, DateTimeOffset.UnixEpoch, TimeSpan.Zero)).ToList();
        var novel = fixture.NovelTest.Select(i => head.Classify(i.Embedding, 1, DateTimeOffset.UnixEpoch, TimeSpan.Zero)).ToList();

        double noveltyAuroc = Auroc.Compute([.. known.Select(p => p.Novelty!.Value)], [.. novel.Select(p => p.Novelty!.Value)]);
        double softmaxAuroc = Auroc.Compute([.. known.Select(p => 1 - p.Confidence)], [.. novel.Select(p => 1 - p.Confidence)]);
        double flagged = novel.Count(p => p.IsUnknown) / (double)novel.Count;
        double softmaxFlagged = novel.Count(p => p.Confidence < manifest.UnknownThreshold) / (double)novel.Count;
        double knownFlagged = known.Count(p => p.IsUnknown) / (double)known.Count;
        output.WriteLine($"novelty {manifest.Novelty!.Kind}: AUROC {noveltyAuroc:F3}, flagged {flagged:P0}, known flagged {knownFlagged:P1}; "
            + $"max-softmax: AUROC {softmaxAuroc:F3}, flagged {softmaxFlagged:P0}; validation AUROC {manifest.Novelty.ValidationAuroc:F3}; "
            + string.Join(", ", manifest.Novelty.Candidates.Select(c => $"{c.Kind} {c.Auroc:F3}/{c.FlaggedShare:P0}")));

        Assert.True(noveltyAuroc > softmaxAuroc, $"novelty AUROC {noveltyAuroc:F3} vs max-softmax {softmaxAuroc:F3}");
        Assert.True(flagged > softmaxFlagged, $"novelty flags {flagged:P0} of unseen images, max-softmax {softmaxFlagged:P0}");
        Assert.InRange(knownFlagged, 0, 0.15);
        Assert.InRange(manifest.Novelty.ValidationAuroc, 0.5, 1);
        Assert.Equal(0.05, manifest.Novelty.FalseRejectTarget);
        Assert.Equal(OpenSetFixture.Known.Length, manifest.Novelty.Folds);
    }
}
