using System.Runtime.Versioning;
using DeviceHost.Sources;
using EdgeRuntime.TestSupport;
using EdgeRuntime.TestSupport.Time;
using EdgeRuntime.TestSupport.Video;
using OpenCvSharp;

namespace DeviceHost.Tests.Sources;

[SupportedOSPlatform("linux")]
public sealed class ImageFolderFrameSourceTests
{
    [Fact]
    public async Task Images_are_shown_in_name_order_paced_at_the_folder_rate_and_cycle()
    {
        using var dir = new TestDirectory("folder");
        SyntheticVideo.WritePngFolder(dir.Path, 3);
        File.WriteAllText(dir.Combine("readme.txt"), "ignored: not an image");
        var time = new ManualTimeProvider();
        using var source = FrameSourceFactory.Create($"folder://{dir.Path}?fps=4", new FrameSourceOptions { TimeProvider = time });
        using var frame = new Mat();
        source.Open();

        var seen = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            var read = source.ReadAsync(frame).AsTask();
            if (i > 0)
            {
                await time.WaitForPendingTimersAsync(1).WaitAsync(TimeSpan.FromSeconds(10));
                Assert.Equal([TimeSpan.FromMilliseconds(250)], time.PendingDueTimes);
                time.Advance(TimeSpan.FromMilliseconds(250));
            }

            Assert.True(await read.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Equal(MatType.CV_8UC3, frame.Type());
            seen.Add(SyntheticVideo.IndexOf(frame, 3));
        }

        Assert.Equal([0, 1, 2, 0, 1], seen);
        Assert.Equal(4, source.NominalFps);
    }

    [Fact]
    public async Task Images_added_to_the_folder_join_the_next_cycle()
    {
        using var dir = new TestDirectory("folder");
        SyntheticVideo.WritePngFolder(dir.Path, 2);
        using var source = FrameSourceFactory.Create($"folder://{dir.Path}?fps=1000");
        using var frame = new Mat();
        source.Open();
        Assert.True(await source.ReadAsync(frame));
        Assert.True(await source.ReadAsync(frame));

        SyntheticVideo.WritePngFolder(dir.Path, 3);
        var seen = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            Assert.True(await source.ReadAsync(frame));
            seen.Add(SyntheticVideo.IndexOf(frame, 3));
        }

        Assert.Equal([0, 1, 2], seen);
    }

    [Fact]
    public void An_empty_or_missing_folder_fails_to_open_naming_it()
    {
        using var dir = new TestDirectory("folder");
        using var empty = FrameSourceFactory.Create($"folder://{dir.Path}");
        using var missing = FrameSourceFactory.Create($"folder://{dir.Path}/nope");

        Assert.Contains("holds no images", Assert.Throws<FrameSourceException>(empty.Open).Message, StringComparison.Ordinal);
        Assert.Contains($"{dir.Path}/nope does not exist", Assert.Throws<FrameSourceException>(missing.Open).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreadable_image_yields_no_frame_and_the_next_read_moves_on()
    {
        using var dir = new TestDirectory("folder");
        SyntheticVideo.WritePngFolder(dir.Path, 2);
        File.WriteAllText(dir.Combine("frame_000.png"), "corrupt");
        using var source = FrameSourceFactory.Create($"folder://{dir.Path}?fps=1000");
        using var frame = new Mat();
        source.Open();

        Assert.False(await source.ReadAsync(frame));
        Assert.True(await source.ReadAsync(frame));
        Assert.Equal(1, SyntheticVideo.IndexOf(frame, 2));
    }
}
