using EdgeRuntime.Inference;
using EdgeRuntime.Novelty;
using EdgeRuntime.Training;

namespace EdgeRuntime.Tests.Novelty;

/// <summary>The novelty model stored in a head's ONNX gives, through plain ORT, what the C# model computes.</summary>
public sealed class NoveltyGraphTests(OpenSetFixture fixture) : IClassFixture<OpenSetFixture>
{
    [Theory]
    [InlineData(NoveltyScoreKind.Mahalanobis)]
    [InlineData(NoveltyScoreKind.Energy)]
    [InlineData(NoveltyScoreKind.Knn)]
    public void The_head_onnx_outputs_the_novelty_the_model_computes_and_reads_back_the_same_model(NoveltyScoreKind kind)
    {
        var (x, y, d) = (OpenSetFixture.Rows(fixture.Train), fixture.Train.Select(i => i.Index).ToArray(), fixture.Dimension);
        var model = NoveltyModel.Fit(x, y, d, OpenSetFixture.Known.Length);
        var head = WeightImprinting.Imprint(x, y, d, OpenSetFixture.Known.Length).ToInferenceModel();
        var settings = new NoveltySettings(kind, 1.5f, 2.5f, 0f);
        var onnx = NoveltyGraph.Attach(head, new NoveltyDetector(model, settings));
        var read = NoveltyGraph.Read(onnx)!;
        using var classifier = new HeadClassifier(onnx, ["a", "b", "c", "d"], d, 0.5f, 1, fixture.Backbone.Factory);

        var probabilities = new float[4];
        var features = new float[d];
        var expectedFeatures = new float[d];
        foreach (var image in fixture.NovelTest.Concat(fixture.KnownTest).Take(12))
        {
            float expected = model.Score(kind, image.Embedding, expectedFeatures);
            float? graph = classifier.Run(image.Embedding, probabilities, features);
            Assert.Equal(expected, graph!.Value, Math.Max(1e-3f, Math.Abs(expected) * 1e-3f));
            Assert.Equal(expected, read.Model.Score(kind, image.Embedding), 1e-5f);
            for (int j = 0; j < d; j += 37)
            {
                Assert.Equal(expectedFeatures[j], features[j], 1e-3f);
            }
        }

        Assert.Equal(settings, read.Settings);
        Assert.Equal(head.Length, NoveltyGraph.Detach(onnx).Length);
    }

    [Fact]
    public void A_head_without_a_novelty_model_reads_as_none_and_predicts_without_novelty()
    {
        var (x, y, d) = (OpenSetFixture.Rows(fixture.Train), fixture.Train.Select(i => i.Index).ToArray(), fixture.Dimension);
        var head = WeightImprinting.Imprint(x, y, d, OpenSetFixture.Known.Length).ToInferenceModel();
        using var classifier = new HeadClassifier(head, ["a", "b", "c", "d"], d, 0.5f, 1, fixture.Backbone.Factory);

        Assert.Null(NoveltyGraph.Read(head));
        Assert.Null(classifier.Novelty);
        Assert.Null(classifier.Classify(fixture.KnownTest[0].Embedding, 2, DateTimeOffset.UnixEpoch, TimeSpan.Zero).Novelty);
    }

    [Fact]
    public void With_novelty_rejection_off_a_novel_frame_keeps_its_score_and_only_the_confidence_threshold_calls_it_unknown()
    {
        var (x, y, d) = (OpenSetFixture.Rows(fixture.Train), fixture.Train.Select(i => i.Index).ToArray(), fixture.Dimension);
        var model = NoveltyModel.Fit(x, y, d, OpenSetFixture.Known.Length);
        var head = WeightImprinting.Imprint(x, y, d, OpenSetFixture.Known.Length).ToInferenceModel();

        // A threshold every frame exceeds: with rejection on, everything is unknown.
        var onnx = NoveltyGraph.Attach(head, new NoveltyDetector(model, new NoveltySettings(NoveltyScoreKind.Mahalanobis, float.Epsilon, 1f, 0f)));
        using var rejecting = new HeadClassifier(onnx, ["a", "b", "c", "d"], d, 0f, 1, fixture.Backbone.Factory);
        using var closedWorld = new HeadClassifier(onnx, ["a", "b", "c", "d"], d, 0f, 1, fixture.Backbone.Factory, noveltyRejects: false);
        using var strict = new HeadClassifier(onnx, ["a", "b", "c", "d"], d, 1f, 1, fixture.Backbone.Factory, noveltyRejects: false);

        var frame = fixture.NovelTest[0].Embedding;
        var rejected = rejecting.Classify(frame, 2, DateTimeOffset.UnixEpoch, TimeSpan.Zero);
        var kept = closedWorld.Classify(frame, 2, DateTimeOffset.UnixEpoch, TimeSpan.Zero);
        Assert.True(rejected.IsUnknown);
        Assert.False(kept.IsUnknown);
        Assert.Equal(rejected.Novelty, kept.Novelty);
        Assert.True(strict.Classify(frame, 2, DateTimeOffset.UnixEpoch, TimeSpan.Zero).IsUnknown);
    }
}
