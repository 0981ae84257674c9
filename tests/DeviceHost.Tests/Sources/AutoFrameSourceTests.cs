using System.Runtime.Versioning;
using DeviceHost.Sources;
using EdgeRuntime.TestSupport;
using OpenCvSharp;

namespace DeviceHost.Tests.Sources;

[SupportedOSPlatform("linux")]
public sealed class AutoFrameSourceTests
{
    [Fact]
    public async Task Without_an_openable_camera_auto_falls_back_to_the_synthetic_demo()
    {
        using var dir = new TestDirectory("auto");
        var notACamera = dir.Combine("video0");
        File.WriteAllText(notACamera, "a plain file is no V4L2 device");
        var options = new FrameSourceOptions { AutoDeviceCandidates = [dir.Combine("missing"), notACamera] };
        using var source = (AutoFrameSource)FrameSourceFactory.Create("auto", options);

        source.Open();
        using var frame = new Mat();

        Assert.Equal(FrameSourceKind.Synthetic, source.Kind);
        Assert.IsType<SyntheticFrameSource>(source.Resolved);
        Assert.StartsWith("auto (synthetic", source.DisplayName, StringComparison.Ordinal);
        Assert.Contains(source.ProbeNotes, n => n.Contains(notACamera, StringComparison.Ordinal));
        Assert.True(await source.ReadAsync(frame));
        Assert.Equal(new Size(640, 480), frame.Size());
    }
}
