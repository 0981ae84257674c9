using EdgeRuntime.Imaging;
using EdgeRuntime.TestSupport.Time;
using EdgeRuntime.Samples;
using EdgeRuntime.TestSupport;
using Microsoft.Data.Sqlite;

namespace EdgeRuntime.Tests.Samples;

public sealed class SampleStoreTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_sample_round_trips_through_a_reopen_with_its_bytes_metadata_and_content_addressed_file()
    {
        using var dir = new TestDirectory();
        var image = SyntheticImageBytes.Jpeg(1);
        var capturedAt = new DateTimeOffset(2026, 11, 29, 14, 30, 0, TimeSpan.FromHours(2));
        Sample added;
        using (var store = TestStores.Open(dir.Path))
        {
            added = store.Add(image, " widget ", SampleSource.Camera, capturedAt).Sample;
        }

        using var reopened = TestStores.Open(dir.Path);
        var sample = reopened.GetSample(added.Id);

        Assert.Equal(added, sample);
        Assert.Equal("widget", sample!.Label);
        Assert.Equal(SampleSource.Camera, sample.Source);
        Assert.Equal(capturedAt, sample.CapturedAt);
        Assert.Equal(TimeSpan.Zero, sample.CapturedAt.Offset);
        Assert.Equal(ImageFormat.Jpeg, sample.Format);
        Assert.Equal(image, reopened.ReadImage(added.Id));
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(image));
        Assert.Equal(hash, sample.ImageHash);
        Assert.Equal(dir.Combine("images", hash[..2], hash + ".jpg"), reopened.GetImagePath(added.Id));
        Assert.True(reopened.OpenReport.IsClean);
    }

    [Fact]
    public void The_database_is_in_wal_mode_at_the_current_schema_version()
    {
        using var dir = new TestDirectory();
        using (TestStores.Open(dir.Path))
        {
        }

        using var connection = new SqliteConnection($"Data Source={dir.Combine(SampleStore.DatabaseFileName)};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", command.ExecuteScalar());
        command.CommandText = "PRAGMA user_version;";
        Assert.Equal((long)SampleStoreSchema.CurrentVersion, command.ExecuteScalar());
    }

    [Fact]
    public void The_same_bytes_under_the_same_label_return_the_existing_sample_flagged_as_duplicate()
    {
        using var dir = new TestDirectory();
        using var store = TestStores.Open(dir.Path);
        var first = store.Add(SyntheticImageBytes.Jpeg(7), "bolt", SampleSource.Upload);

        var again = store.Add(SyntheticImageBytes.Jpeg(7), "bolt", SampleSource.Camera);

        Assert.False(first.IsDuplicate);
        Assert.True(again.IsDuplicate);
        Assert.Equal(first.Sample, again.Sample);
        Assert.Equal(1, store.GetClassCounts().Single().Total);
    }

    [Fact]
    public void The_same_bytes_under_another_label_are_refused_naming_both_labels()
    {
        using var dir = new TestDirectory();
        using var store = TestStores.Open(dir.Path);
        store.Add(SyntheticImageBytes.Jpeg(7), "bolt", SampleSource.Upload);

        var ex = Assert.Throws<DuplicateImageException>(() => store.Add(SyntheticImageBytes.Jpeg(7), "nut", SampleSource.Upload));

        Assert.Contains("'bolt'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'nut'", ex.Message, StringComparison.Ordinal);
        Assert.Equal(["bolt"], store.GetClassCounts().Select(c => c.Label));
    }

    [Fact]
    public void An_invalid_label_is_refused_by_add_and_nothing_is_written()
    {
        using var dir = new TestDirectory();
        using var store = TestStores.Open(dir.Path);

        var ex = Assert.Throws<InvalidLabelException>(() => store.Add(SyntheticImageBytes.Jpeg(1), "../x", SampleSource.Upload));

        Assert.Equal("../x", ex.Label);
        Assert.Empty(store.GetClassCounts());
        Assert.Empty(Directory.EnumerateFiles(dir.Combine("images"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void Bytes_that_are_not_an_image_are_refused_showing_their_first_bytes()
    {
        using var dir = new TestDirectory();
        using var store = TestStores.Open(dir.Path);

        var ex = Assert.Throws<UnsupportedImageException>(() => store.Add("hello world"u8, "text", SampleSource.Upload));
        Assert.Contains("68656C6C", ex.Message, StringComparison.Ordinal);
        Assert.Throws<UnsupportedImageException>(() => store.Add([], "text", SampleSource.Upload));
    }

    [Fact]
    public void The_extension_follows_the_sniffed_format()
    {
        using var dir = new TestDirectory();
        using var store = TestStores.Open(dir.Path);

        var sample = store.Add(SyntheticImageBytes.Png(3), "gear", SampleSource.Import).Sample;

        Assert.Equal(ImageFormat.Png, sample.Format);
        Assert.EndsWith(".png", store.GetImagePath(sample), StringComparison.Ordinal);
        Assert.True(File.Exists(store.GetImagePath(sample)));
    }

    [Fact]
    public void Recent_samples_page_newest_first_and_filter_by_class()
    {
        using var dir = new TestDirectory();
        var clock = new ManualTimeProvider(Start);
        using var store = TestStores.Open(dir.Path, new SampleStoreOptions { TimeProvider = clock });
        var ids = new List<long>();
        for (var i = 0; i < 7; i++)
        {
            ids.Add(store.Add(SyntheticImageBytes.Jpeg(i), i % 2 == 0 ? "even" : "odd", SampleSource.Camera).Sample.Id);
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        var newestFirst = Enumerable.Reverse(ids).ToArray();
        Assert.Equal(newestFirst[..3], store.ListRecent(0, 3).Select(s => s.Id));
        Assert.Equal(newestFirst[3..6], store.ListRecent(3, 3).Select(s => s.Id));
        Assert.Equal(newestFirst[6..], store.ListRecent(6, 3).Select(s => s.Id));
        Assert.Equal([ids[5], ids[3], ids[1]], store.ListRecent(0, 10, "odd").Select(s => s.Id));
        Assert.Equal(Start, store.GetSample(ids[0])!.CapturedAt);
    }

    [Fact]
    public void Counts_per_class_add_up_by_split()
    {
        using var dir = new TestDirectory();
        using var store = TestStores.Open(dir.Path);
        for (var i = 0; i < 30; i++)
        {
            store.Add(SyntheticImageBytes.Jpeg(i), i < 20 ? "a" : "b", SampleSource.Import);
        }

        var counts = store.GetClassCounts();

        Assert.Equal(["a", "b"], counts.Select(c => c.Label));
        Assert.Equal([20, 10], counts.Select(c => c.Total));
        Assert.All(counts, c => Assert.True(c.Train >= 1 && c.Holdout >= 1));
    }

    [Fact]
    public void A_missing_sample_is_reported_by_id()
    {
        using var dir = new TestDirectory();
        using var store = TestStores.Open(dir.Path);

        Assert.Null(store.GetSample(42));
        var ex = Assert.Throws<SampleNotFoundException>(() => store.ReadImage(42));
        Assert.Contains("42", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Captures_and_a_training_read_run_concurrently_and_every_add_lands()
    {
        using var dir = new TestDirectory();
        using var store = TestStores.Open(dir.Path);
        store.Add(SyntheticImageBytes.Jpeg(999_999), "seed", SampleSource.Camera);

        var writers = Enumerable.Range(0, 2).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < 25; i++)
            {
                store.Add(SyntheticImageBytes.Jpeg((w * 1000) + i), w == 0 ? "left" : "right", SampleSource.Camera);
            }
        })).ToArray();
        var reader = Task.Run(() =>
        {
            var reads = 0;
            while (!writers.All(t => t.IsCompleted) || reads == 0)
            {
                Assert.NotEmpty(store.GetClassCounts());
                store.LoadTrainingSet("backbone");
                reads++;
            }
        });

        await Task.WhenAll([.. writers, reader]);
        Assert.Equal(51, store.GetClassCounts().Sum(c => c.Total));
    }

    [Fact]
    public void Disposing_the_store_closes_every_file_it_opened_including_pooled_readers()
    {
        using var dir = new TestDirectory();
        var store = TestStores.Open(dir.Path);
        store.Add(SyntheticImageBytes.Jpeg(1), "a", SampleSource.Camera);
        Assert.Single(store.GetClassCounts());
        Assert.NotEmpty(OpenFilesUnder(dir.Path));

        store.Dispose();

        Assert.Empty(OpenFilesUnder(dir.Path));
    }

    private static List<string> OpenFilesUnder(string directory) =>
        [.. new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos()
            .Select(fd => fd.LinkTarget)
            .OfType<string>()
            .Where(target => target.StartsWith(directory, StringComparison.Ordinal))];
}
