using EdgeRuntime.Imaging;
using EdgeRuntime.Samples;
using EdgeRuntime.Storage;
using EdgeRuntime.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeRuntime.Tests.Samples;

public sealed class SampleStoreRecoveryTests
{
    [Fact]
    public void A_crash_after_writing_the_temp_file_or_after_the_rename_is_repaired_on_open_and_nothing_is_deleted_but_the_temp()
    {
        using var dir = new TestDirectory();
        Sample kept;
        using (var store = TestStores.Open(dir.Path))
        {
            kept = store.Add(SyntheticImageBytes.Jpeg(1), "a", SampleSource.Camera).Sample;
        }

        // The two points where an add can die before its insert: the temp file is written but not renamed; or it is
        // renamed into place but the row never inserted. The store's own writer produces the second.
        var images = new ImageFileStore(dir.Combine(SampleStore.ImagesFolderName), DiskFileSystem.Instance);
        var stagedHash = ContentHash.Of(SyntheticImageBytes.Jpeg(2));
        var staged = AtomicFile.TempPath(images.PathFor(stagedHash, ImageFormat.Jpeg));
        Directory.CreateDirectory(Path.GetDirectoryName(staged)!);
        File.WriteAllBytes(staged, SyntheticImageBytes.Jpeg(2));
        var orphanHash = ContentHash.Of(SyntheticImageBytes.Jpeg(3));
        images.Write(orphanHash, ImageFormat.Jpeg, SyntheticImageBytes.Jpeg(3));

        using var reopened = TestStores.Open(dir.Path);

        Assert.Equal(1, reopened.OpenReport.TempFilesDeleted);
        Assert.Equal(1, reopened.OpenReport.OrphanImagesQuarantined);
        Assert.Empty(reopened.OpenReport.RowsWithMissingImage);
        Assert.False(File.Exists(staged));
        Assert.False(File.Exists(images.PathFor(orphanHash, ImageFormat.Jpeg)));
        var quarantined = Path.Combine(reopened.OpenReport.QuarantineDirectory!, SampleStore.ImagesFolderName, orphanHash[..2], orphanHash + ".jpg");
        Assert.Equal(SyntheticImageBytes.Jpeg(3), File.ReadAllBytes(quarantined));
        Assert.Equal(SyntheticImageBytes.Jpeg(1), reopened.ReadImage(kept.Id));

        // The interrupted image can be added for real afterwards.
        var added = reopened.Add(SyntheticImageBytes.Jpeg(3), "b", SampleSource.Camera);
        Assert.False(added.IsDuplicate);
        Assert.Equal(SyntheticImageBytes.Jpeg(3), reopened.ReadImage(added.Sample.Id));
    }

    [Fact]
    public void A_stale_temp_file_is_removed_an_orphan_with_another_extension_is_quarantined_and_foreign_files_are_left()
    {
        using var dir = new TestDirectory();
        Sample kept;
        using (var store = TestStores.Open(dir.Path))
        {
            kept = store.Add(SyntheticImageBytes.Jpeg(1), "a", SampleSource.Camera).Sample;
        }

        var shard = Path.GetDirectoryName(dir.Combine(SampleStore.ImagesFolderName, kept.ImageHash[..2], "x"))!;
        File.WriteAllBytes(Path.Combine(shard, kept.ImageHash + ".jpg" + AtomicFile.TempMarker + "deadbeef"), [1, 2]);
        File.WriteAllBytes(Path.Combine(shard, kept.ImageHash + ".png"), [1, 2]);
        File.WriteAllText(dir.Combine(SampleStore.ImagesFolderName, "README.txt"), "not ours");

        using var reopened = TestStores.Open(dir.Path);

        Assert.Equal(1, reopened.OpenReport.TempFilesDeleted);
        Assert.Equal(1, reopened.OpenReport.OrphanImagesQuarantined);
        Assert.True(File.Exists(dir.Combine(SampleStore.ImagesFolderName, "README.txt")));
        Assert.Equal(SyntheticImageBytes.Jpeg(1), reopened.ReadImage(kept.Id));
    }

    [Fact]
    public void A_row_whose_image_file_does_not_exist_is_saved_to_quarantine_and_removed_on_open()
    {
        using var dir = new TestDirectory();
        Sample lost;
        var kept = new List<Sample>();
        using (var store = TestStores.Open(dir.Path))
        {
            lost = store.Add(SyntheticImageBytes.Jpeg(1), "a", SampleSource.Camera).Sample;
            for (int i = 2; i < 30; i++)
            {
                kept.Add(store.Add(SyntheticImageBytes.Jpeg(i), "a", SampleSource.Camera).Sample);
            }

            store.PutEmbedding(lost.ImageHash, "bb", 0, [1f]);
            File.Delete(store.GetImagePath(lost));
        }

        using var reopened = TestStores.Open(dir.Path);

        Assert.Equal([lost], reopened.OpenReport.RowsWithMissingImage);
        Assert.False(reopened.OpenReport.IsClean);
        Assert.Null(reopened.GetSample(lost.Id));
        Assert.All(kept, k => Assert.NotNull(reopened.GetSample(k.Id)));
        Assert.Null(reopened.GetEmbeddingDimension("bb"));
        var saved = File.ReadAllText(Path.Combine(reopened.OpenReport.QuarantineDirectory!, "rows-without-image.json"));
        Assert.Contains(lost.ImageHash, saved, StringComparison.Ordinal);

        using var third = TestStores.Open(dir.Path);
        Assert.True(third.OpenReport.IsClean);
    }

    [Fact]
    public void An_image_that_exists_but_cannot_be_opened_keeps_its_row()
    {
        using var dir = new TestDirectory();
        Sample looped;
        using (var store = TestStores.Open(dir.Path))
        {
            looped = store.Add(SyntheticImageBytes.Jpeg(1), "a", SampleSource.Camera).Sample;
            var path = store.GetImagePath(looped);
            File.Delete(path);

            // A symbolic link to itself: File.Exists says false, but the error is ELOOP, not "no such file".
            File.CreateSymbolicLink(path, path);
        }

        using var reopened = TestStores.Open(dir.Path);

        Assert.Empty(reopened.OpenReport.RowsWithMissingImage);
        Assert.Equal(1, reopened.OpenReport.UnverifiedImages);
        Assert.NotNull(reopened.GetSample(looped.Id));
    }

    [Fact]
    public void A_missing_database_beside_many_images_refuses_to_open_and_deletes_no_image()
    {
        using var dir = new TestDirectory();
        var paths = new List<string>();
        using (var store = TestStores.Open(dir.Path))
        {
            for (int i = 0; i < 20; i++)
            {
                paths.Add(store.GetImagePath(store.Add(SyntheticImageBytes.Jpeg(i), "a", SampleSource.Camera).Sample));
            }
        }

        foreach (var file in Directory.EnumerateFiles(dir.Path, SampleStore.DatabaseFileName + "*"))
        {
            File.Delete(file);
        }

        var ex = Assert.Throws<SampleStoreException>(() => TestStores.Open(dir.Path));

        Assert.Contains("20 image files have no sample", ex.Message, StringComparison.Ordinal);
        Assert.Contains("-wal", ex.Message, StringComparison.Ordinal);
        Assert.All(paths, p => Assert.True(File.Exists(p), p));
        Assert.False(Directory.Exists(dir.Combine(SampleStore.QuarantineFolderName)));
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
