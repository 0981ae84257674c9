using EdgeRuntime.Augmentation;
using EdgeRuntime.Calibration;
using EdgeRuntime.Samples;
using EdgeRuntime.TestSupport;
using EdgeRuntime.TestSupport.Images;
using OpenCvSharp;

namespace EdgeRuntime.Tests.Calibration;

/// <summary>Augmented views are reproducible pictures, embedded once per enabled kind.</summary>
[Collection(CalibrationTestGroup.Name)]
public sealed class AugmentationTests(CalibrationFixture fixture)
{
    [Fact]
    public void A_view_is_the_same_picture_every_time_and_differs_from_the_original_and_from_other_views()
    {
        using var original = SyntheticImages.Create(ImageFamily.Checker, new Random(3), 320, 240);
        using var originalCopy = original.Clone();

        using var first = ViewAugmenter.Apply(original, 1);
        using var again = ViewAugmenter.Apply(original, 1);
        using var second = ViewAugmenter.Apply(original, 2);

        Assert.Equal(Bytes(first), Bytes(again));
        Assert.Equal(original.Type(), first.Type());
        Assert.True(first.Width < original.Width && first.Height < original.Height, $"view 1 is {first.Width}x{first.Height}");
        Assert.NotEqual(Bytes(first), Bytes(second));
        using var resized = new Mat();
        Cv2.Resize(first, resized, original.Size());
        Assert.True(Cv2.Norm(resized, original, NormTypes.L1) / original.Total() > 1.0, "view 1 looks like the original");
        Assert.Equal(Bytes(originalCopy), Bytes(original));
    }

    [Fact]
    public void Views_of_grey_and_tiny_images_keep_their_channels_and_view_zero_is_refused()
    {
        using var grey = new Mat(20, 18, MatType.CV_8UC1, new Scalar(90));
        using var tiny = new Mat(1, 1, MatType.CV_8UC3, new Scalar(1, 2, 3));

        using var greyView = ViewAugmenter.Apply(grey, 3);
        using var tinyView = ViewAugmenter.Apply(tiny, 4);

        Assert.Equal(MatType.CV_8UC1, greyView.Type());
        Assert.Equal((1, 1), (tinyView.Width, tinyView.Height));
        Assert.Throws<ArgumentOutOfRangeException>(() => ViewAugmenter.Apply(grey, 0));
    }

    [Fact]
    public void Training_stores_one_view_per_enabled_kind_for_every_sample_and_reuses_them()
    {
        using var data = new TestDirectory("calibration-views");
        var options = CalibrationFixture.FastOptions();
        options.AugmentedViews = 1;
        options.Augment = new AugmentOptions { Mirror = AugmentMode.Auto, Crop = AugmentMode.On, Colour = AugmentMode.Off };
        using var workspace = fixture.Open(data, options);
        foreach (var sample in fixture.Samples.Where((_, i) => i % 2 == 0))
        {
            workspace.AddSample(sample.Bytes, sample.Label, SampleSource.Import, Path.GetFileName(sample.Path), sample.Embedding);
        }

        var outcome = workspace.Train(new TrainRequest());

        var engine = fixture.Backbone.Engine;
        var plain = workspace.Store.LoadTrainingSet(engine.BackboneHash);
        var probe = new float[engine.Dimension];
        var samples = plain.Train.SampleIds.Concat(plain.Holdout.SampleIds).Select(id => workspace.Store.GetSample(id)!).ToList();
        Assert.Contains(samples, s => s.Split == SampleSplit.Holdout);
        foreach (var sample in samples)
        {
            Assert.True(workspace.Store.TryGetEmbedding(sample.ImageHash, engine.BackboneHash, KindViewAugmenter.ViewId(ViewKinds.Mirror), probe));
            Assert.True(workspace.Store.TryGetEmbedding(sample.ImageHash, engine.BackboneHash, KindViewAugmenter.ViewId(ViewKinds.Crop), probe));
            Assert.False(workspace.Store.TryGetEmbedding(sample.ImageHash, engine.BackboneHash, KindViewAugmenter.ViewId(ViewKinds.Colour), probe));
        }

        // Refit on all: every original trains, and Crop (On) is in the recipe whatever CV says.
        Assert.Equal(samples.Count, outcome.TrainSamples);
        Assert.Equal(0, outcome.HoldoutSamples);
        Assert.Contains("Crop", outcome.Recipe!.Views, StringComparison.Ordinal);
        Assert.DoesNotContain("Colour", outcome.Recipe.Views, StringComparison.Ordinal);

        // The stored view is the augmenter's picture of the stored image, embedded by the backbone.
        var one = samples[0];
        using (var image = Cv2.ImRead(workspace.Store.GetImagePath(one), ImreadModes.Unchanged))
        using (var view = KindViewAugmenter.Apply(image, ViewKinds.Mirror))
        {
            Assert.True(workspace.Store.TryGetEmbedding(one.ImageHash, engine.BackboneHash, KindViewAugmenter.ViewId(ViewKinds.Mirror), probe));
            var expected = engine.Embed(view);
            Assert.All(Enumerable.Range(0, probe.Length), j => Assert.Equal(expected[j], probe[j], 1e-4f));
        }

        // A second training finds every view cached and makes the same choice.
        var again = workspace.Train(new TrainRequest());
        Assert.Equal(outcome.TrainSamples, again.TrainSamples);
        Assert.Equal(outcome.Recipe.Description, again.Recipe!.Description);
    }

    // BMP is uncompressed: equal bytes mean equal pixels.
    private static byte[] Bytes(Mat mat) => SyntheticImages.Encode(mat, ".bmp");
}
