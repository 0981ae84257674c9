using System.Runtime.Versioning;
using DeviceHost.Fleet;

namespace DeviceHost.Tests.Fleet;

[SupportedOSPlatform("linux")]
public sealed class FleetOptionsTests
{
    [Fact]
    public void Disabled_fleet_options_are_valid_with_nothing_set()
    {
        Assert.Null(new FleetOptions().Validate());
    }

    [Theory]
    [InlineData(null, "dev", "site", "Fleet:Broker")]
    [InlineData("http://broker", "dev", "site", "Fleet:Broker")]
    [InlineData("mqtt://user:pw@broker", "dev", "site", "Fleet:CredentialsFile")]
    [InlineData("mqtt://broker", null, "site", "Fleet:DeviceId")]
    [InlineData("mqtt://broker", "a/b", "site", "Fleet:DeviceId")]
    [InlineData("mqtt://broker", "fleet", "site", "Fleet:DeviceId")]
    [InlineData("mqtt://broker", "dev", "s+", "Fleet:Site")]
    public void Each_bad_setting_is_refused_naming_its_key(string? broker, string? device, string? site, string key)
    {
        var problem = new FleetOptions { Enabled = true, Broker = broker, DeviceId = device, Site = site }.Validate();
        Assert.NotNull(problem);
        Assert.Contains(key, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_files_a_lonely_client_certificate_and_bad_numbers_are_refused_naming_their_keys()
    {
        static string? Check(Action<FleetOptions> change)
        {
            var options = new FleetOptions { Enabled = true, Broker = "mqtts://broker", DeviceId = "dev", Site = "site" };
            change(options);
            return options.Validate();
        }

        Assert.Null(Check(_ => { }));
        Assert.Contains("Fleet:CredentialsFile", Check(o => o.CredentialsFile = "/no/such/file"), StringComparison.Ordinal);
        Assert.Contains("Fleet:BundlePublicKeyFile", Check(o => o.BundlePublicKeyFile = "/no/such/key.pem"), StringComparison.Ordinal);
        var existing = typeof(FleetOptionsTests).Assembly.Location;
        Assert.Contains("Fleet:ClientKeyFile", Check(o => o.ClientCertificateFile = existing), StringComparison.Ordinal);
        Assert.Contains("Fleet:OutboxMaxMessages", Check(o => o.OutboxMaxMessages = 0), StringComparison.Ordinal);
        Assert.Contains("Fleet:JitterFraction", Check(o => o.JitterFraction = 2), StringComparison.Ordinal);
        Assert.Contains("Fleet:MaxBackoff", Check(o => o.MaxBackoff = TimeSpan.FromMilliseconds(1)), StringComparison.Ordinal);
        Assert.Contains("Fleet:MetricsInterval", Check(o => o.MetricsInterval = TimeSpan.Zero), StringComparison.Ordinal);
    }
}
