using EdgeRuntime.Calibration;
using EdgeRuntime.Evaluation;
using EdgeRuntime.Samples;
using EdgeRuntime.TestSupport;
using EdgeRuntime.TestSupport.Images;

namespace EdgeRuntime.Tests.Calibration;

/// <summary>Import an ImageFolder, train, and score on images the head never saw, all through the real backbone.</summary>
[Collection(CalibrationTestGroup.Name)]
public sealed class CalibrationEndToEndTests(CalibrationFixture fixture)
{
    private static readonly ImageFamily[] Families = [ImageFamily.Stripes, ImageFamily.Blobs, ImageFamily.Checker, ImageFamily.Rings];

    [Fact]
    public void A_head_trained_on_an_imported_folder_classifies_a_separately_generated_folder()
    {
        using var images = new TestDirectory("calibration-e2e");
        using var data = new TestDirectory("calibration-e2e-data");
        string train = images.Combine("train"), unseen = images.Combine("unseen");
        SyntheticImages.WriteImageFolder(train, Families, count: 12, seed: 101);
        SyntheticImages.WriteImageFolder(unseen, Families, count: 6, seed: 202);
        using var workspace = fixture.Open(data);

        var progress = new SynchronousProgress<int>();
        var import = workspace.Import(train, progress);
        var outcome = workspace.Train(new TrainRequest { Note = "first calibration" });
        var (version, metrics, failures) = workspace.EvaluateFolder(unseen);

        Assert.Equal((48, 0), (import.Added, import.Duplicates));
        Assert.Empty(import.Failures);
        Assert.Equal(48, progress.Reports[^1]);
        Assert.Equal(progress.Reports.Order(), progress.Reports);
        Assert.Equal(["blobs", "checker", "rings", "stripes"], workspace.Store.GetClassCounts().Select(c => c.Label));
        Assert.True(outcome.Activated, outcome.Gate.Reason);
        Assert.Equal(GateOutcome.Activate, outcome.Gate.Outcome);
        Assert.Null(outcome.ActiveVersion);
        Assert.Equal(48, outcome.TrainSamples + outcome.HoldoutSamples);
        Assert.Equal(outcome.Version, version);
        Assert.Empty(failures);
        Assert.Equal(24, metrics.Total);
        Assert.True(metrics.Accuracy >= 0.95, $"accuracy {metrics.Accuracy:P1} on unseen images; unknown {metrics.Unknown}; threshold {outcome.UnknownThreshold}");
    }

    [Fact]
    public void The_stored_head_carries_its_training_and_predicts_files_in_the_order_given()
    {
        using var images = new TestDirectory("calibration-predict");
        using var data = new TestDirectory("calibration-predict-data");
        SyntheticImages.WriteImageFolder(images.Combine("unseen"), CalibrationFixture.Families, count: 2, seed: 303);
        var files = Directory.EnumerateFiles(images.Path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        string broken = images.Combine("broken.png");
        File.WriteAllBytes(broken, [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]);
        using var workspace = fixture.Open(data);
        fixture.AddAll(workspace);

        var outcome = workspace.Train(new TrainRequest { Note = "imprinted then trained", User = "tech" });
        var trained = workspace.LoadFewShotHead(outcome.Version);
        var manifest = workspace.Registry.Get(outcome.Version).Manifest;
        var predictions = workspace.Predict([broken, .. files], topK: 2);

        Assert.Equal(3, trained.ClassCount);
        Assert.Equal(fixture.Backbone.Engine.Dimension, trained.Dimension);
        Assert.Equal(manifest.Recipe!.Family, trained.Family.ToString());
        Assert.Equal(30, manifest.Recipe.TrainSamples);
        Assert.Equal(["checker", "rings", "stripes"], manifest.Labels);
        Assert.Equal(fixture.Backbone.Engine.BackboneHash, manifest.BackboneHash);
        Assert.Equal(workspace.Store.ComputeDatasetFingerprint(), manifest.DatasetFingerprint);
        Assert.Equal(("imprinted then trained", "tech"), (manifest.Trigger.Note, manifest.Trigger.User));
        Assert.Equal(outcome.UnknownThreshold, manifest.UnknownThreshold);

        Assert.Equal([broken, .. files], predictions.Select(p => p.File));
        Assert.Null(predictions[0].Prediction);
        Assert.False(string.IsNullOrEmpty(predictions[0].Error));
        foreach (var (file, prediction, error) in predictions.Skip(1))
        {
            Assert.Null(error);
            Assert.Equal(Path.GetFileName(Path.GetDirectoryName(file)), prediction!.Label);
            Assert.Equal(2, prediction.TopK.Count);
            Assert.Equal(outcome.Version, prediction.HeadVersion);
        }
    }
}
