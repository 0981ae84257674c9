using EdgeRuntime.Calibration;
using EdgeRuntime.Embeddings;
using EdgeRuntime.Inference;
using EdgeRuntime.Quantization;
using EdgeRuntime.TestSupport.Images;
using EdgeRuntime.Training;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;
using Xunit.Abstractions;

namespace EdgeRuntime.Tests.Quantization;

[Collection(Int8TestGroup.Name)]
public sealed class Int8ParityTests(QuantizedBackboneFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public void Int8_embeddings_of_real_fashion_mnist_pictures_match_fp32_with_median_cosine_above_0_99()
    {
        Assert.True(FashionMnist.IsInstalled, "dataset-fashion-mnist is a test dependency (scripts/install-deps.sh test)");
        var images = FashionMnist.Load(train: false, perClass: 5);
        try
        {
            var (median, minimum) = Cosines(images.Select(i => i.Image).ToList());
            output.WriteLine($"fashion-mnist: median cosine {median:F4}, minimum {minimum:F4} over {images.Count} images ");
            Assert.True(median >= 0.99, $"median cosine {median}");
        }
        finally
        {
            images.ForEach(i => i.Image.Dispose());
        }
    }

    [Fact]
    public void Int8_embeddings_of_new_generated_pictures_match_fp32_with_median_cosine_above_0_99()
    {
        var frames = QuantizedBackboneFixture.GeneratedFrames(seed: 23, perFamily: 8);
        try
        {
            var (median, minimum) = Cosines(frames.Select(f => f.Image).ToList());
            output.WriteLine($"generated: median cosine {median:F4}, minimum {minimum:F4} over {frames.Count} images");
            Assert.True(median >= 0.99, $"median cosine {median}");
        }
        finally
        {
            frames.ForEach(f => f.Image.Dispose());
        }
    }

    [Fact]
    public void A_head_trained_on_fp32_embeddings_makes_the_same_choice_on_int8_embeddings_for_at_least_99_percent_of_pictures()
    {
        var train = QuantizedBackboneFixture.GeneratedFrames(seed: 31, perFamily: 10);
        var test = QuantizedBackboneFixture.GeneratedFrames(seed: 37, perFamily: 25);
        try
        {
            int d = fixture.Fp32.Dimension, classes = Enum.GetValues<ImageFamily>().Length;
            var trainRows = Embed(fixture.Fp32, train.Select(t => t.Image).ToList());
            var labels = train.Select(t => (int)t.Family).ToArray();
            var fit = Enumerable.Range(0, train.Count).Where(i => i % 4 != 3).ToList();
            var hold = Enumerable.Range(0, train.Count).Where(i => i % 4 == 3).ToList();
            float[] Rows(List<int> idx) => [.. idx.SelectMany(i => trainRows.AsSpan(i * d, d).ToArray())];
            var data = new TrainingData(Rows(fit), [.. fit.Select(i => labels[i])], Rows(hold), [.. hold.Select(i => labels[i])], d, classes);
            var trained = new HeadTrainer(fixture.Factory, NullLogger<HeadTrainer>.Instance)
                .Train(data, new CalibrationOptions().ToTrainingSettings(null), WeightImprinting.Imprint(data.TrainEmbeddings, data.TrainLabels, d, classes));
            using var head = new HeadClassifier(trained.ToInferenceModel(), [.. Enum.GetNames<ImageFamily>()], d, 0f, 1, fixture.Factory);

            var testImages = test.Select(t => t.Image).ToList();
            var before = HeadChoices.Choose(head, Embed(fixture.Fp32, testImages), d).Classes;
            var after = HeadChoices.Choose(head, Embed(fixture.Int8, testImages), d).Classes;
            double agreement = (double)before.Zip(after).Count(p => p.First == p.Second) / before.Length;
            double accuracy = (double)before.Where((c, i) => c == (int)test[i].Family).Count() / before.Length;
            output.WriteLine($"agreement {agreement:P1} on {before.Length} pictures; fp32 accuracy {accuracy:P1}");
            Assert.True(agreement >= 0.99, $"agreement {agreement:P1}");
        }
        finally
        {
            train.ForEach(t => t.Image.Dispose());
            test.ForEach(t => t.Image.Dispose());
        }
    }

    private (double Median, double Minimum) Cosines(List<Mat> images)
    {
        int d = fixture.Fp32.Dimension;
        var a = Embed(fixture.Fp32, images);
        var b = Embed(fixture.Int8, images);
        var cosines = Enumerable.Range(0, images.Count).Select(i => ParityCheck.Cosine(a.AsSpan(i * d, d), b.AsSpan(i * d, d))).Order().ToList();
        return (cosines[cosines.Count / 2], cosines[0]);
    }

    private static float[] Embed(EmbeddingEngine engine, List<Mat> images)
    {
        var rows = new float[images.Count * engine.Dimension];
        engine.EmbedBatch(images, rows);
        return rows;
    }
}
