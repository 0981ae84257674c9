using System.Runtime.Versioning;
using DeviceHost.Hosting;
using EdgeRuntime.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DeviceHost.Tests.Hosting;

/// <summary>
/// A faulted background service stops the host with a non-zero exit code, so systemd restarts it; before, RunAsync
/// returned normally and <c>edgeruntime run</c> exited 0.
/// </summary>
[SupportedOSPlatform("linux")]
[Collection(DeviceHostCollection.Name)]
public sealed class HostFaultTests : IDisposable
{
    private readonly TestDirectory _dir = new("host-fault");

    [Fact]
    public async Task The_device_host_exits_with_the_fault_code_when_a_background_service_throws()
    {
        var overrides = new Dictionary<string, string?>(DeviceHostRunner.DefaultSettings) { ["Api:Port"] = "0" };
        await using var app = DeviceHostBuilder.Build(null, _dir.Path, overrides, services => services.AddHostedService<FaultingService>());

        var code = await HostFault.RunAsync(app).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(HostFault.ExitCode, code);
        Assert.IsType<IOException>(HostFault.Find(app.Services));
    }

    [Fact]
    public async Task A_host_asked_to_stop_exits_zero()
    {
        var overrides = new Dictionary<string, string?>(DeviceHostRunner.DefaultSettings) { ["Api:Port"] = "0" };
        await using var app = DeviceHostBuilder.Build(null, _dir.Path, overrides);
        var running = HostFault.RunAsync(app);
        await Poll.UntilTrueAsync(() => Task.FromResult(app.Services.GetRequiredService<DeviceHost.Pipeline.BackboneService>().IsReady), TimeSpan.FromMinutes(2), "the backbone to load");

        app.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();

        Assert.Equal(0, await running.WaitAsync(TimeSpan.FromMinutes(1)));
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>Fails once the host is fully up, like an LED write failing hours into a run.</summary>
    private sealed class FaultingService(IHostApplicationLifetime lifetime) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Delay(Timeout.Infinite, lifetime.ApplicationStarted).ContinueWith(_ => { }, TaskScheduler.Default);
            throw new IOException("The status LED's line could not be written: Remote I/O error.");
        }
    }
}
