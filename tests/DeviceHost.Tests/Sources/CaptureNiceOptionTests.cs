using System.Runtime.Versioning;
using DeviceHost.Tests.Hosting;

namespace DeviceHost.Tests.Sources;

[SupportedOSPlatform("linux")]
public sealed class CaptureNiceOptionTests
{
    [Theory]
    [InlineData("-1")]
    [InlineData("20")]
    public void A_capture_nice_value_outside_what_linux_allows_stops_the_start_naming_the_key(string value)
    {
        var error = StartupRefusal.For(new() { ["Pipeline:CaptureNice"] = value });

        Assert.Contains("Pipeline:CaptureNice", error.Message, StringComparison.Ordinal);
    }
}
