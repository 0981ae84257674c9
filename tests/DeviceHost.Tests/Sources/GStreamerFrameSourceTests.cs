using System.Runtime.Versioning;
using DeviceHost.Sources;
using OpenCvSharp;

namespace DeviceHost.Tests.Sources;

[SupportedOSPlatform("linux")]
public sealed class GStreamerFrameSourceTests
{
    [Fact]
    public async Task A_pipeline_on_this_OpenCV_either_opens_or_fails_with_the_native_build_explanation()
    {
        const string uri = "gst:videotestsrc num-buffers=5 ! video/x-raw,width=64,height=48 ! videoconvert ! video/x-raw,format=BGR ! appsink";

        if (OpenCvCapabilities.HasGStreamer)
        {
            using var source = FrameSourceFactory.Create(uri);
            source.Open();
            using var frame = new Mat();
            Assert.True(await source.ReadAsync(frame));
            Assert.Equal(MatType.CV_8UC3, frame.Type());
            return;
        }

        var error = Assert.Throws<FrameSourceException>(() => FrameSourceFactory.Create(uri));
        Assert.True(error.IsPermanent);
        Assert.Contains("built without GStreamer", error.Message, StringComparison.Ordinal);
        Assert.Contains("WITH_GSTREAMER=ON", error.Message, StringComparison.Ordinal);
        Assert.Contains("deploy/jetson", error.Message, StringComparison.Ordinal);
        Assert.Contains("videotestsrc", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_official_runtime_reports_ffmpeg_so_files_and_streams_work_here()
    {
        Assert.True(OpenCvCapabilities.HasFfmpeg);
    }

    [Theory]
    [InlineData("  Video I/O:\n    GStreamer:                   YES (1.20.3)\n    v4l/v4l2: YES", true)]
    [InlineData("  Video I/O:\n    GStreamer:                   NO\n", false)]
    [InlineData("  Video I/O:\n    FFMPEG:                      YES\n", false)]
    public void The_build_information_line_decides_whether_gstreamer_is_available(string buildInformation, bool expected)
    {
        Assert.Equal(expected, OpenCvCapabilities.ReportsBackend(buildInformation, "GStreamer"));
    }

    [Fact]
    public void With_gstreamer_present_the_source_builds_and_without_it_the_error_is_permanent()
    {
        var uri = FrameSourceUri.Parse("gst:videotestsrc ! appsink");

        using var withGst = new GStreamerFrameSource(uri, openCvHasGStreamer: true);
        Assert.Equal(FrameSourceKind.GStreamer, withGst.Kind);
        var error = Assert.Throws<FrameSourceException>(() => new GStreamerFrameSource(uri, openCvHasGStreamer: false));
        Assert.True(error.IsPermanent);
    }
}
