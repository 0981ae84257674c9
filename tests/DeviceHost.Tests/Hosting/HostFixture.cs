using System.Runtime.Versioning;

namespace DeviceHost.Tests.Hosting;

/// <summary>One in-process device host shared by the tests of a class (xunit class fixture); subclasses choose its settings.</summary>
[SupportedOSPlatform("linux")]
public abstract class HostFixture(IDictionary<string, string?> overrides) : IAsyncLifetime
{
    private DeviceHostRunner? _host;

    public DeviceHostRunner Host => _host ?? throw new InvalidOperationException("The host has not started.");

    public async Task InitializeAsync() => _host = await DeviceHostRunner.StartAsync(overrides);

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
