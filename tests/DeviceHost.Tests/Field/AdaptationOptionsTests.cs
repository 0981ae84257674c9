using System.Runtime.Versioning;
using DeviceHost.Hosting;
using EdgeRuntime;
using EdgeRuntime.TestSupport;
using Microsoft.Extensions.Options;

namespace DeviceHost.Tests.Field;

[SupportedOSPlatform("linux")]
public sealed class AdaptationOptionsTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("8")]
    public void A_folder_cap_below_the_minimum_frames_stops_the_start_naming_the_key(string value)
    {
        using var data = new TestDirectory("adaptation-options");

        var error = Assert.ThrowsAny<Exception>(() => DeviceHostBuilder.Build(null, data.Path, new Dictionary<string, string?>
        {
            ["Calibration:Adaptation:MaxImages"] = value,
        }));

        Assert.True(error is OptionsValidationException or EdgeRuntimeException, error.ToString());
        Assert.Contains("Calibration:Adaptation:MaxImages", error.Message, StringComparison.Ordinal);
    }
}
