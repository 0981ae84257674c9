using System.Runtime.Versioning;
using DeviceHost.Api;
using DeviceHost.Hosting;

namespace DeviceHost.Tests.Api;

/// <summary>Binding beyond loopback is a deliberate act, and the Host header must name this device.</summary>
[SupportedOSPlatform("linux")]
public sealed class ApiExposureTests
{
    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("192.168.1.20")]
    [InlineData("::")]
    public void A_non_loopback_address_needs_AllowRemote(string address)
    {
        var refused = new ApiOptions { Address = address }.Validate();
        Assert.Contains("Api:AllowRemote", refused, StringComparison.Ordinal);

        Assert.Null(new ApiOptions { Address = address, AllowRemote = true }.Validate());
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("localhost")]
    public void Loopback_addresses_need_nothing(string address) => Assert.Null(new ApiOptions { Address = address }.Validate());

    [Theory]
    [InlineData("localhost", false, true)]
    [InlineData("127.0.0.1", false, true)]
    [InlineData("[::1]", false, true)]
    [InlineData("192.168.1.20", false, true)]
    [InlineData("192.168.1.21", false, false)]
    [InlineData("192.168.1.21", true, true)]
    [InlineData("jetson.local", false, true)]
    [InlineData("jetson.local.", false, true)]
    [InlineData("evil.example", true, false)]
    [InlineData("localhost.evil.example", false, false)]
    public void Hosts_are_allowed_by_name_list_or_as_ip_literals(string host, bool anyAddress, bool allowed)
    {
        var named = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "localhost", "192.168.1.20", "jetson.local" };

        Assert.Equal(allowed, RequestHardening.IsAllowed(host, named, anyAddress));
    }
}
