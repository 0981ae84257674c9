using EdgeRuntime.Samples;
using EdgeRuntime.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeRuntime.Tests.Samples;

public sealed class SampleStoreRecoveryTests
{
    [Fact]
    public void A_crash_after_staging_or_after_publishing_an_image_but_before_its_row_is_cleaned_on_open()
    {
        using var dir = new TestDirectory();
        Sample kept;
        using (var store = TestStores.Open(dir.Path))
        {
            kept = store.Add(SyntheticImageBytes.Jpeg(1), "a", SampleSource.Camera).Sample;
        }

        // The two points where an add can die before its insert: the temp file is written and fsync'd but not
        // renamed; or it is renamed into place but the row never inserted. The store's own writer produces both.
        var images = new ImageFileStore(dir.Combine(SampleStore.ImagesFolderName));
        var staged = images.Stage(ContentHash.Of(SyntheticImageBytes.Jpeg(2)), SyntheticImageBytes.Jpeg(2));
        var orphanHash = ContentHash.Of(SyntheticImageBytes.Jpeg(3));
        images.Publish(images.Stage(orphanHash, SyntheticImageBytes.Jpeg(3)), orphanHash, ImageFormat.Jpeg);
        Assert.True(File.Exists(staged));

        using var reopened = TestStores.Open(dir.Path);

        Assert.Equal(1, reopened.OpenReport.TempFilesDeleted);
        Assert.Equal(1, reopened.OpenReport.OrphanImagesDeleted);
        Assert.Empty(reopened.OpenReport.RowsWithMissingImage);
        Assert.False(File.Exists(staged));
        Assert.False(File.Exists(images.PathFor(orphanHash, ImageFormat.Jpeg)));
        Assert.Equal(SyntheticImageBytes.Jpeg(1), reopened.ReadImage(kept.Id));

        // The interrupted image can be added for real afterwards.
        var added = reopened.Add(SyntheticImageBytes.Jpeg(3), "b", SampleSource.Camera);
        Assert.False(added.IsDuplicate);
        Assert.Equal(SyntheticImageBytes.Jpeg(3), reopened.ReadImage(added.Sample.Id));
    }

    [Fact]
    public void A_stale_temp_file_and_an_orphan_image_with_another_extension_are_removed_but_foreign_files_are_left()
    {
        using var dir = new TestDirectory();
        Sample kept;
        using (var store = TestStores.Open(dir.Path))
        {
            kept = store.Add(SyntheticImageBytes.Jpeg(1), "a", SampleSource.Camera).Sample;
        }

        var shard = Path.GetDirectoryName(dir.Combine(SampleStore.ImagesFolderName, kept.ImageHash[..2], "x"))!;
        File.WriteAllBytes(Path.Combine(shard, "." + kept.ImageHash + ".deadbeef.tmp"), [1, 2]);
        File.WriteAllBytes(Path.Combine(shard, kept.ImageHash + ".png"), [1, 2]);
        File.WriteAllText(dir.Combine(SampleStore.ImagesFolderName, "README.txt"), "not ours");

        using var reopened = TestStores.Open(dir.Path);

        Assert.Equal(1, reopened.OpenReport.TempFilesDeleted);
        Assert.Equal(1, reopened.OpenReport.OrphanImagesDeleted);
        Assert.True(File.Exists(dir.Combine(SampleStore.ImagesFolderName, "README.txt")));
        Assert.Equal(SyntheticImageBytes.Jpeg(1), reopened.ReadImage(kept.Id));
    }

    [Fact]
    public void A_row_whose_image_file_vanished_is_reported_and_removed_on_open()
    {
        using var dir = new TestDirectory();
        Sample lost, kept;
        using (var store = TestStores.Open(dir.Path))
        {
            lost = store.Add(SyntheticImageBytes.Jpeg(1), "a", SampleSource.Camera).Sample;
            kept = store.Add(SyntheticImageBytes.Jpeg(2), "a", SampleSource.Camera).Sample;
            store.PutEmbedding(lost.ImageHash, "bb", 0, [1f]);
            File.Delete(store.GetImagePath(lost));
        }

        using var reopened = TestStores.Open(dir.Path);

        Assert.Equal([lost], reopened.OpenReport.RowsWithMissingImage);
        Assert.False(reopened.OpenReport.IsClean);
        Assert.Null(reopened.GetSample(lost.Id));
        Assert.NotNull(reopened.GetSample(kept.Id));
        Assert.Null(reopened.GetEmbeddingDimension("bb"));

        using var third = TestStores.Open(dir.Path);
        Assert.True(third.OpenReport.IsClean);
    }

    [Fact]
    public void A_database_from_a_newer_build_is_refused_naming_both_versions()
    {
        using var dir = new TestDirectory();
        using (TestStores.Open(dir.Path))
        {
        }

        SetUserVersion(dir.Combine(SampleStore.DatabaseFileName), 99);

        var ex = Assert.Throws<SampleStoreException>(() => TestStores.Open(dir.Path));
        Assert.Contains("99", ex.Message, StringComparison.Ordinal);
        Assert.Contains(SampleStore.DatabaseFileName, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_refused_with_its_path()
    {
        using var dir = new TestDirectory();
        File.WriteAllText(dir.Combine(SampleStore.DatabaseFileName), new string('x', 4096));

        var ex = Assert.Throws<SampleStoreException>(() => TestStores.Open(dir.Path));

        Assert.Contains(dir.Combine(SampleStore.DatabaseFileName), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_added_migration_step_runs_once_on_an_existing_store_and_keeps_its_data()
    {
        using var dir = new TestDirectory();
        Sample kept;
        using (var store = TestStores.Open(dir.Path))
        {
            kept = store.Add(SyntheticImageBytes.Jpeg(1), "a", SampleSource.Camera).Sample;
        }

        IReadOnlyList<string> next = [.. SampleStoreSchema.Migrations, "CREATE TABLE probe (x INTEGER);"];
        using (var migrated = new SampleStore(dir.Path, new SampleStoreOptions(), NullLogger<SampleStore>.Instance, next))
        {
            Assert.Equal(SampleStoreSchema.CurrentVersion, migrated.OpenReport.MigratedFromVersion);
            Assert.Equal(next.Count, migrated.OpenReport.SchemaVersion);
            Assert.Equal(kept, migrated.GetSample(kept.Id));
        }

        // Running the step again would fail with "table probe already exists".
        using var again = new SampleStore(dir.Path, new SampleStoreOptions(), NullLogger<SampleStore>.Instance, next);
        Assert.Equal(next.Count, again.OpenReport.MigratedFromVersion);
    }

    private static void SetUserVersion(string path, int version)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA user_version = {version};";
        command.ExecuteNonQuery();
    }
}
