using System.Runtime.Versioning;
using Xunit.Abstractions;

namespace DeviceHost.Tests.Browser;

/// <summary>The technician page in headless Chromium against the real service on loopback.</summary>
// The device service runs on Linux only (systemd, V4L2, GPIO), and so do Chromium and chromedriver from Debian.
[SupportedOSPlatform("linux")]
[Trait("Category", "Browser")]
public sealed class TechnicianUiTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_technician_calibrates_the_device_from_the_browser()
    {
        await using var host = await BrowserTestHost.StartAsync("blobs");
        await CalibrationScenario.RunAsync(host.BaseAddress, host.Token, output);
    }
}
