using EdgeRuntime.Samples;
using EdgeRuntime.TestSupport;

namespace EdgeRuntime.Tests.Samples;

public sealed class SampleStoreEmbeddingTests
{
    [Fact]
    public void An_embedding_round_trips_per_backbone_and_view()
    {
        using var dir = new TestDirectory();
        using var store = TestStores.Open(dir.Path);
        var hash = store.Add(SyntheticImageBytes.Jpeg(1), "a", SampleSource.Camera).Sample.ImageHash;

        store.PutEmbedding(hash, "resnet-v1", 0, [1f, -2.5f, 3e-8f]);
        store.PutEmbedding(hash, "resnet-v1", 2, [4f, 5f, 6f]);
        store.PutEmbedding(hash, "resnet-v2", 0, [7f, 8f]);

        var buffer = new float[3];
        Assert.True(store.TryGetEmbedding(hash, "resnet-v1", 0, buffer));
        Assert.Equal([1f, -2.5f, 3e-8f], buffer);
        Assert.True(store.TryGetEmbedding(hash, "resnet-v1", 2, buffer));
        Assert.Equal([4f, 5f, 6f], buffer);
        Assert.False(store.TryGetEmbedding(hash, "resnet-v1", 1, buffer));
        var small = new float[2];
        Assert.True(store.TryGetEmbedding(hash, "resnet-v2", 0, small));
        Assert.Equal([7f, 8f], small);
        Assert.Equal(3, store.GetEmbeddingDimension("resnet-v1"));
        Assert.Throws<InvalidEmbeddingException>(() => store.TryGetEmbedding(hash, "resnet-v1", 0, small));
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void A_non_finite_embedding_is_refused_naming_the_index_and_nothing_is_stored(float bad)
    {
        using var dir = new TestDirectory();
        using var store = TestStores.Open(dir.Path);
        var hash = store.Add(SyntheticImageBytes.Jpeg(1), "a", SampleSource.Camera).Sample.ImageHash;

        var ex = Assert.Throws<InvalidEmbeddingException>(() => store.PutEmbedding(hash, "bb", 0, [0f, bad, 1f]));

        Assert.Contains("index 1", ex.Message, StringComparison.Ordinal);
        Assert.False(store.TryGetEmbedding(hash, "bb", 0, new float[3]));
    }

    [Fact]
    public void An_embedding_of_another_dimension_for_the_same_backbone_or_of_an_unknown_image_is_refused()
    {
        using var dir = new TestDirectory();
        using var store = TestStores.Open(dir.Path);
        var a = store.Add(SyntheticImageBytes.Jpeg(1), "a", SampleSource.Camera).Sample.ImageHash;
        var b = store.Add(SyntheticImageBytes.Jpeg(2), "a", SampleSource.Camera).Sample.ImageHash;
        store.PutEmbedding(a, "bb", 0, [1f, 2f]);

        var ex = Assert.Throws<InvalidEmbeddingException>(() => store.PutEmbedding(b, "bb", 0, [1f, 2f, 3f]));
        Assert.Contains("3 values", ex.Message, StringComparison.Ordinal);
        Assert.Throws<SampleNotFoundException>(() => store.PutEmbedding(new string('e', 64), "bb", 0, [1f, 2f]));
        Assert.Throws<InvalidEmbeddingException>(() => store.PutEmbedding(a, "bb", -1, [1f, 2f]));
    }

    [Fact]
    public void Samples_lacking_an_original_view_embedding_are_listed_for_re_embedding()
    {
        using var dir = new TestDirectory();
        using var store = TestStores.Open(dir.Path);
        var samples = Enumerable.Range(0, 4).Select(i => store.Add(SyntheticImageBytes.Jpeg(i), "a", SampleSource.Camera).Sample).ToList();
        store.PutEmbedding(samples[0].ImageHash, "old", 0, [1f]);
        store.PutEmbedding(samples[1].ImageHash, "new", 0, [1f]);
        store.PutEmbedding(samples[2].ImageHash, "new", 3, [1f]);

        Assert.Equal([samples[0].Id, samples[2].Id, samples[3].Id], store.ListSamplesMissingEmbedding("new").Select(s => s.Id));

        Assert.Equal(1, store.DeleteEmbeddingsExcept("new"));
        Assert.Null(store.GetEmbeddingDimension("old"));
    }

    [Fact]
    public void A_training_set_holds_every_embedding_of_a_backbone_by_split_with_class_indices()
    {
        using var dir = new TestDirectory();
        using var store = TestStores.Open(dir.Path);
        var samples = new List<Sample>();
        for (var i = 0; i < 40; i++)
        {
            var s = store.Add(SyntheticImageBytes.Jpeg(i), i % 2 == 0 ? "zebra" : "apple", SampleSource.Import).Sample;
            samples.Add(s);
            if (i != 39)
            {
                store.PutEmbedding(s.ImageHash, "bb", 0, [i, i + 0.5f, -i]);
                store.PutEmbedding(s.ImageHash, "bb", 1, [i, i, i]);
            }
        }

        var plain = store.LoadTrainingSet("bb");
        var augmented = store.LoadTrainingSet("bb", includeAugmentedViews: true);

        Assert.Equal(["apple", "zebra"], plain.Labels);
        Assert.Equal(3, plain.Dimension);
        Assert.Equal(1, plain.SamplesWithoutEmbedding);
        Assert.Equal(39, plain.Train.Count + plain.Holdout.Count);
        var holdoutIds = samples.Where(s => s.Split == SampleSplit.Holdout).Select(s => s.Id).Except([samples[39].Id]).Order();
        Assert.Equal(holdoutIds, plain.Holdout.SampleIds.Order());
        for (var row = 0; row < plain.Train.Count; row++)
        {
            var sample = samples.Single(s => s.Id == plain.Train.SampleIds[row]);
            var i = samples.IndexOf(sample);
            Assert.Equal(sample.Label, plain.Labels[plain.Train.Y[row]]);
            Assert.Equal([i, i + 0.5f, -i], plain.Train.X.AsSpan(row * 3, 3).ToArray());
        }

        Assert.Equal(plain.Train.Count * 2, augmented.Train.Count);
        Assert.Equal(plain.Holdout.Count * 2, augmented.Holdout.Count);
        Assert.Equal(plain.Holdout.Count, augmented.Holdout.Views.Count(v => v == 0));
        Assert.Equal(store.ComputeDatasetFingerprint(), plain.DatasetFingerprint);
    }

    [Fact]
    public void A_backbone_without_embeddings_gives_an_empty_training_set()
    {
        using var dir = new TestDirectory();
        using var store = TestStores.Open(dir.Path);
        store.Add(SyntheticImageBytes.Jpeg(1), "a", SampleSource.Camera);

        var set = store.LoadTrainingSet("none");

        Assert.Equal(0, set.Dimension);
        Assert.Empty(set.Labels);
        Assert.Equal(0, set.Train.Count + set.Holdout.Count);
        Assert.Equal(1, set.SamplesWithoutEmbedding);
    }

    [Fact]
    public void The_dataset_fingerprint_changes_when_a_label_changes_and_returns_when_it_is_restored()
    {
        using var dir = new TestDirectory();
        using var store = TestStores.Open(dir.Path);
        for (var i = 0; i < 5; i++)
        {
            store.Add(SyntheticImageBytes.Jpeg(i), "cat", SampleSource.Camera);
        }

        var original = store.ComputeDatasetFingerprint();
        store.RenameClass("cat", "dog");
        var renamed = store.ComputeDatasetFingerprint();
        store.RenameClass("dog", "cat");

        Assert.Matches("^[0-9a-f]{64}$", original);
        Assert.NotEqual(original, renamed);
        Assert.Equal(original, store.ComputeDatasetFingerprint());
    }

    [Fact]
    public void A_batch_of_embeddings_is_stored_all_or_nothing()
    {
        using var dir = new TestDirectory();
        using var store = TestStores.Open(dir.Path);
        var a = store.Add(SyntheticImageBytes.Jpeg(1), "a", SampleSource.Camera).Sample.ImageHash;
        var b = store.Add(SyntheticImageBytes.Jpeg(2), "a", SampleSource.Camera).Sample.ImageHash;

        Assert.Throws<InvalidEmbeddingException>(() => store.PutEmbeddings(
            "bb", [new EmbeddingEntry(a, 0, new float[] { 1f, 2f }), new EmbeddingEntry(b, 0, new float[] { 1f, float.NaN })]));
        Assert.Throws<SampleNotFoundException>(() => store.PutEmbeddings(
            "bb", [new EmbeddingEntry(a, 0, new float[] { 1f, 2f }), new EmbeddingEntry(new string('e', 64), 0, new float[] { 3f, 4f })]));
        Assert.Equal(2, store.ListSamplesMissingEmbedding("bb").Count);

        store.PutEmbeddings("bb", [new EmbeddingEntry(a, 0, new float[] { 1f, 2f }), new EmbeddingEntry(b, 0, new float[] { 3f, 4f })]);

        var buffer = new float[2];
        Assert.True(store.TryGetEmbedding(b, "bb", 0, buffer));
        Assert.Equal([3f, 4f], buffer);
        Assert.Empty(store.ListSamplesMissingEmbedding("bb"));
    }
}
