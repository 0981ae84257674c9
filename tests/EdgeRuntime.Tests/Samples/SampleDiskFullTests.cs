using EdgeRuntime.Samples;
using EdgeRuntime.Storage;
using EdgeRuntime.TestSupport;

namespace EdgeRuntime.Tests.Samples;

/// <summary>Sample images go through the same file-system seam as heads, so a full disk is testable for them too.</summary>
public sealed class SampleDiskFullTests
{
    [Fact]
    public void An_image_that_does_not_fit_leaves_no_row_and_no_file_and_the_add_works_once_space_is_freed()
    {
        using var dir = new TestDirectory();
        var disk = new SpaceLimitedFileSystem(freeBytes: 100);
        using var store = TestStores.Open(dir.Path, new SampleStoreOptions { FileSystem = disk });

        var ex = Assert.Throws<IOException>(() => store.Add(SyntheticImageBytes.Jpeg(1), "a", SampleSource.Upload));

        Assert.True(DiskFull.Caused(ex));
        Assert.Empty(store.GetClassCounts());
        Assert.Empty(Directory.EnumerateFiles(dir.Combine(SampleStore.ImagesFolderName), "*", SearchOption.AllDirectories));

        disk.FreeBytes = long.MaxValue;
        var added = store.Add(SyntheticImageBytes.Jpeg(1), "a", SampleSource.Upload);
        Assert.Equal(SyntheticImageBytes.Jpeg(1), store.ReadImage(added.Sample.Id));
    }
}
