using System.Runtime.Versioning;

namespace DeviceHost.Tests.Hosting;

/// <summary>One in-process device host with the synthetic source, shared by the tests of a class (xunit class fixture).</summary>
[SupportedOSPlatform("linux")]
public sealed class SyntheticHostFixture : IAsyncLifetime
{
    private DeviceHostRunner? _host;

    public DeviceHostRunner Host => _host ?? throw new InvalidOperationException("The host has not started.");

    public async Task InitializeAsync() => _host = await DeviceHostRunner.StartAsync();

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
