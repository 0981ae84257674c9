using System.Runtime.Versioning;
using Xunit.Abstractions;

namespace DeviceHost.Tests.Browser;

/// <summary>The technician page in headless Chromium against the real service on loopback.</summary>
/// <remarks>
/// Linux only, like the service and the Debian chromium packages. Shares the command-line tests' collection: the
/// in-process service logs to the console and loads a backbone, and those tests capture the console and load one too.
/// </remarks>
[SupportedOSPlatform("linux")]
[Trait("Category", "Browser")]
[Collection(Cli.CliCollection.Name)]
public sealed class TechnicianUiTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_technician_calibrates_the_device_from_the_browser()
    {
        await using var host = await BrowserTestHost.StartAsync("blobs");
        await CalibrationScenario.RunAsync(host.BaseAddress, host.Token, output);
    }

    [Fact]
    public async Task A_technician_sees_the_drift_alarm_labels_hard_samples_and_adapts_from_the_browser()
    {
        await using var host = await BrowserTestHost.StartAsync("stripes", BrowserTestHost.QuickField);
        await FieldScenario.RunAsync(host.BaseAddress, host.Token, output);
    }
}
