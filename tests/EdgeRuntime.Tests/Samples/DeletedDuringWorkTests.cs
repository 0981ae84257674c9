using EdgeRuntime.Samples;
using EdgeRuntime.TestSupport;

namespace EdgeRuntime.Tests.Samples;

/// <summary>A sample deleted while background work embeds it must not fail that work (training, re-embedding).</summary>
public sealed class DeletedDuringWorkTests
{
    [Fact]
    public void Embeddings_of_a_sample_deleted_meanwhile_are_left_out_and_the_rest_are_stored()
    {
        using var dir = new TestDirectory();
        using var store = TestStores.Open(dir.Path);
        var kept = store.Add(SyntheticImageBytes.Jpeg(1), "a", SampleSource.Camera).Sample;
        var deleted = store.Add(SyntheticImageBytes.Jpeg(2), "a", SampleSource.Camera).Sample;
        store.DeleteSample(deleted.Id);
        EmbeddingEntry[] entries = [new(kept.ImageHash, 1, new float[] { 1f, 2f }), new(deleted.ImageHash, 1, new float[] { 3f, 4f })];

        Assert.Throws<SampleNotFoundException>(() => store.PutEmbeddings("bb", entries));
        store.PutEmbeddings("bb", entries, skipDeletedImages: true);

        var vector = new float[2];
        Assert.True(store.TryGetEmbedding(kept.ImageHash, "bb", 1, vector));
        Assert.False(store.TryGetEmbedding(deleted.ImageHash, "bb", 1, vector));
    }
}
