using EdgeRuntime.Calibration;
using EdgeRuntime.Samples;
using EdgeRuntime.TestSupport;

namespace EdgeRuntime.Tests.Calibration;

/// <summary>Bad folders, labels, embeddings and too few samples: clear typed errors, nothing half-stored.</summary>
[Collection(CalibrationTestGroup.Name)]
public sealed class CalibrationBadInputTests(CalibrationFixture fixture)
{
    [Fact]
    public void Empty_and_badly_named_class_folders_are_reported_by_name_and_the_other_classes_are_imported()
    {
        using var images = new TestDirectory("calibration-empty");
        using var data = new TestDirectory("calibration-empty-data");
        CopySamples(images.Path, "stripes", 2);
        Directory.CreateDirectory(images.Combine("rings"));
        File.WriteAllText(images.Combine("rings", "notes.txt"), "not an image");
        Directory.CreateDirectory(images.Combine("..x"));
        File.Copy(fixture.Samples[0].Path, images.Combine("..x", "sneaky.png"));
        using var workspace = fixture.Open(data);

        var result = workspace.Import(images.Path);

        Assert.Equal(2, result.Added);
        Assert.Equal([images.Combine("..x"), images.Combine("rings")], result.Failures.Select(f => f.Name));
        Assert.Equal("folder name is not a valid label: it contains '..'", result.Failures[0].Reason);
        Assert.Contains("'rings' has no images", result.Failures[1].Reason, StringComparison.Ordinal);
        Assert.Equal(["stripes"], workspace.Store.GetClassCounts().Select(c => c.Label));
    }

    [Fact]
    public void A_folder_with_only_empty_class_folders_is_refused_naming_them()
    {
        using var images = new TestDirectory("calibration-all-empty");
        using var data = new TestDirectory("calibration-all-empty-data");
        Directory.CreateDirectory(images.Combine("rings"));
        using var workspace = fixture.Open(data);

        var ex = Assert.Throws<EdgeRuntimeException>(() => workspace.Import(images.Path));

        Assert.Contains("has no <label>/ sub-folders with images", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'rings' has no images", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Importing_the_same_images_twice_counts_them_as_duplicates()
    {
        using var images = new TestDirectory("calibration-dup");
        using var data = new TestDirectory("calibration-dup-data");
        CopySamples(images.Path, "checker", 2);
        CopySamples(images.Path, "stripes", 1);
        using var workspace = fixture.Open(data);

        var first = workspace.Import(images.Path);
        var second = workspace.Import(images.Path);

        Assert.Equal((3, 0), (first.Added, first.Duplicates));
        Assert.Equal((0, 3), (second.Added, second.Duplicates));
        Assert.Empty(second.Failures);
        Assert.Equal(3, workspace.Store.GetClassCounts().Sum(c => c.Train + c.Holdout));
    }

    [Fact]
    public void The_same_image_in_two_class_folders_is_stored_once_and_the_conflict_reported()
    {
        using var images = new TestDirectory("calibration-conflict");
        using var data = new TestDirectory("calibration-conflict-data");
        var sample = fixture.Samples.First(s => s.Label == "checker");
        CopySamples(images.Path, "checker", 1);
        Directory.CreateDirectory(images.Combine("rings"));
        File.Copy(sample.Path, images.Combine("rings", "copied.png"));
        using var workspace = fixture.Open(data);

        var result = workspace.Import(images.Path);

        Assert.Equal((1, 0), (result.Added, result.Duplicates));
        var failure = Assert.Single(result.Failures);
        Assert.Equal(images.Combine("rings", "copied.png"), failure.Name);
        Assert.Contains("checker", failure.Reason, StringComparison.Ordinal);
        Assert.Equal(["checker"], workspace.Store.GetClassCounts().Select(c => c.Label));
    }

    [Fact]
    public void Training_with_one_class_names_it_in_a_typed_error()
    {
        using var data = new TestDirectory("calibration-one-class");
        using var workspace = fixture.Open(data);
        AddSamples(workspace, "rings", 3);

        var ex = Assert.Throws<NotEnoughSamplesException>(() => workspace.Train(new TrainRequest()));

        Assert.Equal("Only one class ('rings') has samples: a classifier needs at least two classes.", ex.Message);
        Assert.Null(workspace.Registry.ActiveVersion);
        Assert.Empty(workspace.Registry.List());
    }

    [Fact]
    public void Training_with_no_samples_is_refused_and_one_sample_per_class_gives_an_instant_head_saying_why()
    {
        using var data = new TestDirectory("calibration-one-sample");
        using var workspace = fixture.Open(data);

        var none = Assert.Throws<NotEnoughSamplesException>(() => workspace.Train(new TrainRequest()));
        var noneAsked = workspace.TrainingProblem();
        AddSamples(workspace, "rings", 1);
        var one = Assert.Throws<NotEnoughSamplesException>(() => workspace.Train(new TrainRequest()));
        var oneAsked = workspace.TrainingProblem();
        Assert.Empty(workspace.Registry.List());
        AddSamples(workspace, "stripes", 1);
        var onePerClassAsked = workspace.TrainingProblem();
        var instant = workspace.Train(new TrainRequest());

        Assert.StartsWith("There are no samples yet", none.Message, StringComparison.Ordinal);
        Assert.StartsWith("Only one class ('rings')", one.Message, StringComparison.Ordinal);

        // What the service's job runner asks before it starts a job is the trainer's own answer, word for word.
        Assert.Equal(new[] { none.Message, one.Message }, new[] { noneAsked!, oneAsked! });
        Assert.Null(onePerClassAsked);
        Assert.True(instant.Recipe!.Instant);
        Assert.Null(instant.Recipe.CrossValidationAccuracy);
        Assert.Contains("single sample: cross-validation needs two per class", instant.Recipe.NoEstimateReason, StringComparison.Ordinal);
        Assert.True(instant.Activated);
        Assert.False(workspace.IsTraining);
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("a/b")]
    [InlineData(".hidden")]
    [InlineData("  ")]
    public void A_label_that_could_leave_the_data_directory_is_refused_and_nothing_is_stored(string label)
    {
        using var data = new TestDirectory("calibration-label");
        using var workspace = fixture.Open(data);
        var sample = fixture.Samples[0];

        var ex = Assert.Throws<InvalidLabelException>(() => workspace.AddSample(sample.Bytes, label, SampleSource.Upload, "frame.png", sample.Embedding));

        Assert.Equal(label, ex.Label);
        Assert.Empty(workspace.Store.GetClassCounts());
        Assert.Empty(Directory.EnumerateFiles(data.Combine("images"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_nan_embedding_is_refused_with_a_typed_error_and_nothing_is_stored()
    {
        using var data = new TestDirectory("calibration-nan");
        using var workspace = fixture.Open(data);
        var sample = fixture.Samples[0];
        var embedding = (float[])sample.Embedding.Clone();
        embedding[7] = float.NaN;

        var ex = Assert.Throws<InvalidEmbeddingException>(() => workspace.AddSample(sample.Bytes, sample.Label, SampleSource.Upload, "frame.png", embedding));

        Assert.Contains("'frame.png'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("NaN at index 7", ex.Message, StringComparison.Ordinal);
        Assert.Empty(workspace.Store.GetClassCounts());
        Assert.Null(workspace.Store.FindByImageHash(ContentHash.Of(sample.Bytes)));
        Assert.Empty(Directory.EnumerateFiles(data.Combine("images"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void An_embedding_of_the_wrong_size_is_refused_and_nothing_is_stored()
    {
        using var data = new TestDirectory("calibration-short");
        using var workspace = fixture.Open(data);
        var sample = fixture.Samples[0];

        var ex = Assert.Throws<InvalidEmbeddingException>(() => workspace.AddSample(sample.Bytes, sample.Label, SampleSource.Upload, "frame.png", new float[10]));

        Assert.Contains("has 10 values", ex.Message, StringComparison.Ordinal);
        Assert.Empty(workspace.Store.GetClassCounts());
    }

    private void CopySamples(string folder, string label, int count)
    {
        Directory.CreateDirectory(Path.Combine(folder, label));
        foreach (var sample in fixture.Samples.Where(s => s.Label == label).Take(count))
        {
            File.Copy(sample.Path, Path.Combine(folder, label, Path.GetFileName(sample.Path)));
        }
    }

    private void AddSamples(CalibrationWorkspace workspace, string label, int count)
    {
        foreach (var sample in fixture.Samples.Where(s => s.Label == label).Take(count))
        {
            workspace.AddSample(sample.Bytes, sample.Label, SampleSource.Import, Path.GetFileName(sample.Path), sample.Embedding);
        }
    }
}
