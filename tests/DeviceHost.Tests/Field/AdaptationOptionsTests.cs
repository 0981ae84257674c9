using System.Runtime.Versioning;
using DeviceHost.Tests.Hosting;

namespace DeviceHost.Tests.Field;

[SupportedOSPlatform("linux")]
public sealed class AdaptationOptionsTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("8")]
    public void A_folder_cap_below_the_minimum_frames_stops_the_start_naming_the_key(string value)
    {
        var error = StartupRefusal.For(new() { ["Calibration:Adaptation:MaxImages"] = value });

        Assert.Contains("Calibration:Adaptation:MaxImages", error.Message, StringComparison.Ordinal);
    }
}
