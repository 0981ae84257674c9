using System.Runtime.Versioning;
using DeviceHost.Sources;
using EdgeRuntime.TestSupport;
using EdgeRuntime.TestSupport.Time;
using EdgeRuntime.TestSupport.Video;
using OpenCvSharp;

namespace DeviceHost.Tests.Sources;

[SupportedOSPlatform("linux")]
public sealed class VideoFileFrameSourceTests
{
    private const int FrameCount = 4;

    [Fact]
    public async Task A_generated_video_file_is_read_frame_by_frame_as_bgr_and_ends_without_loop()
    {
        using var dir = new TestDirectory("video");
        var path = dir.Combine("clip.avi");
        SyntheticVideo.WriteMjpegAvi(path, FrameCount, fps: 10);
        using var source = FrameSourceFactory.Create($"file://{path}?realtime=false");
        using var frame = new Mat();

        source.Open();
        var seen = new List<int>();
        while (await source.ReadAsync(frame))
        {
            Assert.Equal(MatType.CV_8UC3, frame.Type());
            Assert.Equal(new Size(96, 64), frame.Size());
            seen.Add(SyntheticVideo.IndexOf(frame, FrameCount));
        }

        Assert.Equal([0, 1, 2, 3], seen);
        Assert.Equal(10, source.NominalFps!.Value, 3);
    }

    [Theory]
    [InlineData("", 320, 240)]
    [InlineData("&decode=full", 640, 480)]
    public async Task A_large_mjpeg_file_is_decoded_at_half_size_unless_full_decoding_is_asked_for(string option, int width, int height)
    {
        using var dir = new TestDirectory("video");
        var path = dir.Combine("clip.avi");
        SyntheticVideo.WriteMjpegAvi(path, FrameCount, width: 640, height: 480, fps: 10);
        using var source = FrameSourceFactory.Create($"file://{path}?realtime=false{option}");
        using var frame = new Mat();

        source.Open();
        var seen = new List<int>();
        while (await source.ReadAsync(frame))
        {
            Assert.Equal(MatType.CV_8UC3, frame.Type());
            Assert.Equal(new Size(width, height), frame.Size());
            seen.Add(SyntheticVideo.IndexOf(frame, FrameCount));
        }

        Assert.Equal([0, 1, 2, 3], seen);
        Assert.Equal(option.Length == 0, ((VideoFileFrameSource)source).DecodesAtHalfSize);
    }

    [Fact]
    public async Task A_looping_file_starts_again_after_its_last_frame()
    {
        using var dir = new TestDirectory("video");
        var path = dir.Combine("clip.avi");
        SyntheticVideo.WriteMjpegAvi(path, FrameCount);
        using var source = FrameSourceFactory.Create($"{path}?loop=true&realtime=false");
        using var frame = new Mat();

        source.Open();
        var seen = new List<int>();
        for (var i = 0; i < (2 * FrameCount) + 1; i++)
        {
            Assert.True(await source.ReadAsync(frame));
            seen.Add(SyntheticVideo.IndexOf(frame, FrameCount));
        }

        Assert.Equal([0, 1, 2, 3, 0, 1, 2, 3, 0], seen);
    }

    [Fact]
    public async Task A_realtime_file_waits_one_frame_interval_between_frames()
    {
        using var dir = new TestDirectory("video");
        var path = dir.Combine("clip.avi");
        SyntheticVideo.WriteMjpegAvi(path, FrameCount, fps: 10);
        var time = new ManualTimeProvider();
        using var source = FrameSourceFactory.Create($"file://{path}", new FrameSourceOptions { TimeProvider = time });
        using var frame = new Mat();
        source.Open();

        Assert.True(await source.ReadAsync(frame));
        var second = source.ReadAsync(frame).AsTask();
        await time.WaitForPendingTimersAsync(1).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(second.IsCompleted);
        Assert.Equal([TimeSpan.FromMilliseconds(100)], time.PendingDueTimes);
        time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.True(await second.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, SyntheticVideo.IndexOf(frame, FrameCount));
    }

    [Fact]
    public void A_missing_file_fails_to_open_naming_the_path_and_may_be_retried()
    {
        using var dir = new TestDirectory("video");
        var path = dir.Combine("absent.mp4");
        using var source = FrameSourceFactory.Create(path);

        var error = Assert.Throws<FrameSourceException>(source.Open);

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsPermanent);
    }

    [Fact]
    public void A_file_that_is_not_a_video_fails_to_open_with_a_decode_hint()
    {
        using var dir = new TestDirectory("video");
        var path = dir.Combine("broken.mp4");
        File.WriteAllText(path, "not a video");
        using var source = FrameSourceFactory.Create(path);

        var error = Assert.Throws<FrameSourceException>(source.Open);

        Assert.Contains("could not decode", error.Message, StringComparison.Ordinal);
    }
}
