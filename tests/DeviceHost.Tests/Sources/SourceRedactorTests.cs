using System.Runtime.Versioning;
using DeviceHost.Sources;

namespace DeviceHost.Tests.Sources;

[SupportedOSPlatform("linux")]
public sealed class SourceRedactorTests
{
    [Theory]
    [InlineData("rtsp://user:pass@10.0.0.2:554/h264", "rtsp://user:***@10.0.0.2:554/h264")]
    [InlineData("rtsp://admin:p@ss:w0rd@cam.local/live", "rtsp://admin:***@cam.local/live")]
    [InlineData("https://viewer:secret@cams.example/mjpeg", "https://viewer:***@cams.example/mjpeg")]
    [InlineData("http://cam/snap.cgi?user=bob&password=abc123&res=1", "http://cam/snap.cgi?user=bob&password=***&res=1")]
    [InlineData("http://cam/stream?token=eyJhbGciOi", "http://cam/stream?token=***")]
    [InlineData("gst:rtspsrc location=rtsp://op:topsecret@cam/1 user-pw=topsecret ! decodebin ! appsink", "gst:rtspsrc location=rtsp://op:***@cam/1 user-pw=*** ! decodebin ! appsink")]
    [InlineData("rtsp://cam.local/stream1", "rtsp://cam.local/stream1")]
    [InlineData("rtsp://onlyuser@cam.local/stream1", "rtsp://onlyuser@cam.local/stream1")]
    [InlineData("/dev/video0", "/dev/video0")]
    [InlineData("gst:videotestsrc ! x264enc key-int-max=30 ! appsink", "gst:videotestsrc ! x264enc key-int-max=30 ! appsink")]
    public void Credentials_are_replaced_by_stars_and_nothing_else_changes(string input, string expected)
    {
        Assert.Equal(expected, SourceRedactor.Redact(input));
    }

    [Fact]
    public void The_parsed_display_name_is_redacted_but_the_original_keeps_the_credentials_for_opening()
    {
        var parsed = FrameSourceUri.Parse("rtsp://user:pass@host/stream");

        Assert.Equal("rtsp://user:***@host/stream", parsed.DisplayName);
        Assert.Equal("rtsp://user:***@host/stream", parsed.ToString());
        Assert.Equal("rtsp://user:pass@host/stream", parsed.Target);
    }
}
