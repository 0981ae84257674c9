using System.Net;
using System.Runtime.Versioning;
using DeviceHost.Tests.Hosting;
using EdgeRuntime.TestSupport;

namespace DeviceHost.Tests.Hosting;

/// <summary>A refused backbone leaves the API up to say why; before, the host failed to start and restart-looped.</summary>
[SupportedOSPlatform("linux")]
[Collection(DeviceHostCollection.Name)]
public sealed class DamagedBackboneTests : IDisposable
{
    private readonly TestDirectory _dir = new("damaged-backbone");

    [Fact]
    public async Task A_damaged_backbone_is_refused_and_the_api_stays_up_reporting_it()
    {
        var manifest = DamagedBackbone.Write(_dir.Path);
        await using var host = await DeviceHostRunner.StartAsync(new Dictionary<string, string?> { ["Backbone:ManifestPath"] = manifest });

        using var health = await host.Client.GetAsync(HostApi.Path("/healthz"));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var ready = await host.Client.GetAsync(HostApi.Path("/readyz"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);

        var status = await host.Client.GetJsonAsync("/status");
        Assert.Contains(status.GetProperty("errors").EnumerateArray(), e => e.GetString()!.Contains("damaged or was replaced", StringComparison.Ordinal));

        using var classes = await host.AuthorizedClient.PostAsync(HostApi.Path("/classes"), HostApi.Json("""{"label":"ripe"}"""));
        var text = await classes.Content.ReadAsStringAsync();
        Assert.True(classes.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)classes.StatusCode}: {text}");
        Assert.Contains("damaged", text, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();
}
