using System.Runtime.Versioning;
using DeviceHost.Hosting;
using DeviceHost.Sources;
using EdgeRuntime;
using EdgeRuntime.TestSupport;
using Microsoft.Extensions.Options;

namespace DeviceHost.Tests.Sources;

[SupportedOSPlatform("linux")]
public sealed class CaptureNiceOptionTests
{
    [Theory]
    [InlineData("-1")]
    [InlineData("20")]
    public void A_capture_nice_value_outside_what_linux_allows_stops_the_start_naming_the_key(string value)
    {
        using var data = new TestDirectory("capture-nice");

        var error = Assert.ThrowsAny<Exception>(() => DeviceHostBuilder.Build(null, data.Path, new Dictionary<string, string?>
        {
            ["Pipeline:CaptureNice"] = value,
        }));

        Assert.True(error is OptionsValidationException or EdgeRuntimeException, error.ToString());
        Assert.Contains("Pipeline:CaptureNice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_capture_thread_at_nice_zero_stays_at_the_callers_priority()
    {
        using var thread = new CaptureThread("capture test", nice: 0);

        var nice = await thread.RunAsync(() => int.Parse(File.ReadAllText("/proc/thread-self/stat").Split(") ")[1].Split(' ')[16], System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(0, nice);
    }
}
