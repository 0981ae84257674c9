using System.Runtime.Versioning;
using DeviceHost.Hosting;
using EdgeRuntime;
using EdgeRuntime.TestSupport;
using Microsoft.Extensions.Options;

namespace DeviceHost.Tests.Precision;

[SupportedOSPlatform("linux")]
public sealed class PrecisionOptionsTests
{
    [Theory]
    [InlineData("Int4")]
    [InlineData("7")]
    public void An_unknown_backbone_precision_stops_the_start_naming_the_key_and_the_choices(string value)
    {
        using var data = new TestDirectory("precision-options");

        var error = Assert.ThrowsAny<Exception>(() => DeviceHostBuilder.Build(null, data.Path, new Dictionary<string, string?> { ["Backbone:Precision"] = value }));

        Assert.True(error is EdgeRuntimeException or OptionsValidationException, error.ToString());
        Assert.Contains("Backbone:Precision", error.Message, StringComparison.Ordinal);
        Assert.Contains("Fp32, Int8 or Auto", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_minimum_below_ten_calibration_images_stops_the_start_naming_the_key()
    {
        using var data = new TestDirectory("precision-options");

        var error = Assert.Throws<OptionsValidationException>(() => DeviceHostBuilder.Build(null, data.Path, new Dictionary<string, string?>
        {
            ["Backbone:Precision"] = "Auto",
            ["Backbone:Quantization:MinimumImages"] = "3",
        }));

        Assert.Contains("Backbone:Quantization:MinimumImages", error.Message, StringComparison.Ordinal);
    }
}
