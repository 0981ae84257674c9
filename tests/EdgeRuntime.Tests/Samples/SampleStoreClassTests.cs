using EdgeRuntime.Samples;
using EdgeRuntime.TestSupport;

namespace EdgeRuntime.Tests.Samples;

public sealed class SampleStoreClassTests
{
    [Fact]
    public void Renaming_a_class_relabels_its_samples_and_keeps_their_splits()
    {
        using var dir = new TestDirectory();
        using var store = TestStores.Open(dir.Path);
        var added = Enumerable.Range(0, 6).Select(i => store.Add(SyntheticImageBytes.Jpeg(i), "scratch", SampleSource.Camera).Sample).ToList();

        Assert.Equal(6, store.RenameClass("scratch", "scratched"));

        Assert.Equal(["scratched"], store.GetClassCounts().Select(c => c.Label));
        Assert.All(added, s => Assert.Equal(s with { Label = "scratched" }, store.GetSample(s.Id)));
    }

    [Fact]
    public void Renaming_onto_an_existing_class_is_refused_unless_a_merge_is_asked_for()
    {
        using var dir = new TestDirectory();
        using var store = TestStores.Open(dir.Path);
        store.Add(SyntheticImageBytes.Jpeg(1), "dent", SampleSource.Camera);
        store.Add(SyntheticImageBytes.Jpeg(2), "dent", SampleSource.Camera);
        store.Add(SyntheticImageBytes.Jpeg(3), "Dent ", SampleSource.Camera);

        var ex = Assert.Throws<ClassExistsException>(() => store.RenameClass("Dent", "dent"));
        Assert.Contains("'Dent'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'dent'", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, store.GetClassCounts().Count);

        Assert.Equal(1, store.RenameClass("Dent", "dent", merge: true));
        Assert.Equal(3, store.GetClassCounts().Single().Total);
    }

    [Fact]
    public void Renaming_an_unknown_class_or_to_an_invalid_label_is_refused()
    {
        using var dir = new TestDirectory();
        using var store = TestStores.Open(dir.Path);
        store.Add(SyntheticImageBytes.Jpeg(1), "dent", SampleSource.Camera);

        Assert.Equal("nope", Assert.Throws<ClassNotFoundException>(() => store.RenameClass("nope", "x")).Label);
        Assert.Throws<InvalidLabelException>(() => store.RenameClass("dent", "a/b"));
        Assert.Equal("dent", store.GetClassCounts().Single().Label);
    }

    [Fact]
    public void Deleting_a_class_removes_its_rows_embeddings_and_image_files_only()
    {
        using var dir = new TestDirectory();
        using var store = TestStores.Open(dir.Path);
        var doomed = Enumerable.Range(0, 3).Select(i => store.Add(SyntheticImageBytes.Jpeg(i), "bad", SampleSource.Camera).Sample).ToList();
        var kept = store.Add(SyntheticImageBytes.Jpeg(10), "good", SampleSource.Camera).Sample;
        store.PutEmbedding(doomed[0].ImageHash, "bb", 0, [1f, 2f]);
        store.PutEmbedding(kept.ImageHash, "bb", 0, [3f, 4f]);

        Assert.Equal(3, store.DeleteClass("bad"));

        Assert.All(doomed, s => Assert.False(File.Exists(store.GetImagePath(s))));
        Assert.All(doomed, s => Assert.Null(store.GetSample(s.Id)));
        Assert.True(File.Exists(store.GetImagePath(kept)));
        Assert.False(store.TryGetEmbedding(doomed[0].ImageHash, "bb", 0, new float[2]));
        Assert.True(store.TryGetEmbedding(kept.ImageHash, "bb", 0, new float[2]));
        Assert.Equal(0, store.DeleteClass("bad"));
    }

    [Fact]
    public void A_deleted_image_can_be_added_again_under_another_label()
    {
        using var dir = new TestDirectory();
        using var store = TestStores.Open(dir.Path);
        var sample = store.Add(SyntheticImageBytes.Jpeg(5), "wrong", SampleSource.Camera).Sample;

        Assert.True(store.DeleteSample(sample.Id));
        Assert.False(store.DeleteSample(sample.Id));
        var again = store.Add(SyntheticImageBytes.Jpeg(5), "right", SampleSource.Camera).Sample;

        Assert.Equal("right", again.Label);
        Assert.Equal(SyntheticImageBytes.Jpeg(5), store.ReadImage(again.Id));
    }

    [Fact]
    public void Deleting_the_only_holdout_sample_moves_one_train_sample_to_holdout()
    {
        using var dir = new TestDirectory();
        using var store = TestStores.Open(dir.Path, new SampleStoreOptions { HoldoutShare = 0 });
        var samples = Enumerable.Range(0, 4).Select(i => store.Add(SyntheticImageBytes.Jpeg(i), "c", SampleSource.Camera).Sample).ToList();
        var holdout = Assert.Single(samples, s => s.Split == SampleSplit.Holdout);

        store.DeleteSample(holdout.Id);

        var counts = store.GetClassCounts().Single();
        Assert.Equal((2, 1), (counts.Train, counts.Holdout));
    }

    [Fact]
    public void Deleting_the_only_train_sample_moves_a_holdout_sample_to_train()
    {
        using var dir = new TestDirectory();
        using var store = TestStores.Open(dir.Path, new SampleStoreOptions { HoldoutShare = 0 });
        var train = store.Add(SyntheticImageBytes.Jpeg(1), "c", SampleSource.Camera).Sample;
        var holdout = store.Add(SyntheticImageBytes.Jpeg(2), "c", SampleSource.Camera).Sample;
        Assert.Equal((SampleSplit.Train, SampleSplit.Holdout), (train.Split, holdout.Split));

        store.DeleteSample(train.Id);

        Assert.Equal(SampleSplit.Train, store.GetSample(holdout.Id)!.Split);
    }
}
