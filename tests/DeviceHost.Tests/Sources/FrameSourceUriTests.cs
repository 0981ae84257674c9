using System.Runtime.Versioning;
using DeviceHost.Sources;
using EdgeRuntime.TestSupport;

namespace DeviceHost.Tests.Sources;

[SupportedOSPlatform("linux")]
public sealed class FrameSourceUriTests
{
    [Theory]
    [InlineData(null, FrameSourceKind.Auto, "")]
    [InlineData("", FrameSourceKind.Auto, "")]
    [InlineData("auto", FrameSourceKind.Auto, "")]
    [InlineData("AUTO", FrameSourceKind.Auto, "")]
    [InlineData("0", FrameSourceKind.V4l2, "0")]
    [InlineData("/dev/video2", FrameSourceKind.V4l2, "/dev/video2")]
    [InlineData("v4l2:///dev/video0", FrameSourceKind.V4l2, "/dev/video0")]
    [InlineData("v4l2:1", FrameSourceKind.V4l2, "1")]
    [InlineData("gst:videotestsrc ! videoconvert ! appsink", FrameSourceKind.GStreamer, "videotestsrc ! videoconvert ! appsink")]
    [InlineData("rtsp://camera.local:554/stream1", FrameSourceKind.Stream, "rtsp://camera.local:554/stream1")]
    [InlineData("http://10.0.0.5/mjpeg?res=hi", FrameSourceKind.Stream, "http://10.0.0.5/mjpeg?res=hi")]
    [InlineData("https://cams.example/live.m3u8", FrameSourceKind.Stream, "https://cams.example/live.m3u8")]
    [InlineData("file:///videos/demo.mp4?loop=true", FrameSourceKind.File, "/videos/demo.mp4")]
    [InlineData("file:///videos/with%20space.avi", FrameSourceKind.File, "/videos/with space.avi")]
    [InlineData("/videos/demo.MKV", FrameSourceKind.File, "/videos/demo.MKV")]
    [InlineData("folder:///data/images?fps=5", FrameSourceKind.Folder, "/data/images")]
    [InlineData("synthetic:?scene=stripes&fps=15&width=640&height=480", FrameSourceKind.Synthetic, "")]
    [InlineData("synthetic:", FrameSourceKind.Synthetic, "")]
    public void Each_address_form_parses_to_its_kind_and_target(string? uri, FrameSourceKind kind, string target)
    {
        var parsed = FrameSourceUri.Parse(uri);

        Assert.Equal(kind, parsed.Kind);
        Assert.Equal(target, parsed.Target);
    }

    [Fact]
    public void A_bare_number_is_a_camera_index_and_options_are_read()
    {
        Assert.Equal(3, FrameSourceUri.Parse("3").DeviceIndex);
        Assert.Null(FrameSourceUri.Parse("/dev/video3").DeviceIndex);

        var file = FrameSourceUri.Parse("file:///v/a.mp4?loop=true&realtime=false");
        Assert.True(file.Parameters.GetBool("loop", false));
        Assert.False(file.Parameters.GetBool("realtime", true));
        Assert.Equal(5.0, FrameSourceUri.Parse("folder:///d?fps=5").Parameters.GetDouble("fps", 1, 0.01, 100));
    }

    [Fact]
    public void An_existing_folder_given_as_a_plain_path_is_a_folder_source()
    {
        using var dir = new TestDirectory("uri");

        var parsed = FrameSourceUri.Parse(dir.Path);

        Assert.Equal(FrameSourceKind.Folder, parsed.Kind);
    }

    [Theory]
    [InlineData("ftp://host/video.mp4", "unknown scheme 'ftp'")]
    [InlineData("/videos/notes.txt", "video file extension")]
    [InlineData("gst:videotestsrc ! autovideosink", "appsink")]
    [InlineData("gst:", "empty")]
    [InlineData("synthetic:?colour=red", "unknown option 'colour'")]
    [InlineData("synthetic:?fps=fast", "'fps=fast'")]
    [InlineData("synthetic:?scene=waves", "unknown scene 'waves'")]
    [InlineData("file:///a.mp4?loop=perhaps", "'loop=perhaps'")]
    [InlineData("v4l2:///tmp/cam", "device path")]
    [InlineData("v4l2:///dev/video0?fourcc=MJPEG", "four characters")]
    [InlineData("rtsp://", "no valid host")]
    [InlineData("folder:?fps=2", "needs a directory")]
    public void A_bad_address_is_refused_naming_the_address_and_the_reason(string uri, string reason)
    {
        var error = Assert.Throws<FrameSourceException>(() => FrameSourceFactory.Create(uri));

        Assert.Contains($"'{uri}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.True(error.IsPermanent);
    }

    [Fact]
    public void An_error_about_an_address_with_credentials_does_not_reveal_the_password()
    {
        var error = Assert.Throws<FrameSourceException>(() => FrameSourceUri.Parse("rtspx://admin:hunter2@cam/stream"));

        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
        Assert.Contains("admin:***@cam", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_factory_builds_the_source_type_each_kind_needs()
    {
        var options = new FrameSourceOptions();
        using var camera = FrameSourceFactory.Create("/dev/video0", options);
        using var stream = FrameSourceFactory.Create("rtsp://u:p@cam/1", options);
        using var file = FrameSourceFactory.Create("file:///v/a.mp4", options);
        using var folder = FrameSourceFactory.Create("folder:///d", options);
        using var synthetic = FrameSourceFactory.Create("synthetic:", options);
        using var auto = FrameSourceFactory.Create("auto", options);

        Assert.IsType<V4l2FrameSource>(camera);
        Assert.IsType<StreamFrameSource>(stream);
        Assert.Equal("rtsp://u:***@cam/1", stream.DisplayName);
        Assert.IsType<VideoFileFrameSource>(file);
        Assert.IsType<ImageFolderFrameSource>(folder);
        Assert.IsType<SyntheticFrameSource>(synthetic);
        Assert.IsType<AutoFrameSource>(auto);
    }
}
