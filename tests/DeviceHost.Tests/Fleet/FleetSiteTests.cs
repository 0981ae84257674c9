using System.Runtime.Versioning;
using System.Text;
using System.Text.Json;
using DeviceHost.Fleet;
using DeviceHost.Tests.Cli;
using DeviceHost.Tests.Hosting;
using EdgeRuntime.Fleet;
using Xunit.Abstractions;

namespace DeviceHost.Tests.Fleet;

/// <summary>
/// Three device processes on a real mosquitto (<see cref="FleetSiteFixture"/>): telemetry, a signed bundle each
/// device gates on its own samples, refusals, broker ACLs, and broker and device restarts. Every test is written so
/// that it holds whatever the others did before it (each bundle is new; dev-c's gate always keeps the hq head).
/// </summary>
[SupportedOSPlatform("linux")]
[Collection(DeviceHostCollection.Name)]
public sealed class FleetSiteTests(FleetSiteFixture site, ITestOutputHelper output) : IClassFixture<FleetSiteFixture>
{
    private const string Site = FleetSiteFixture.Site;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Every_device_publishes_retained_state_availability_and_metrics_and_fleet_status_lists_them()
    {
        await using var probe = await FleetProbe.ConnectAsync(site.Broker, MosquittoBroker.Operator, filters:
            [Topics.AllDevices(Site, "state"), Topics.AllDevices(Site, "availability"), Topics.AllDevices(Site, "metrics")]);
        foreach (var id in FleetSiteFixture.Devices)
        {
            var state = await probe.WaitForAsync(_ => probe.Json(Topics.State(Site, id)).Cast<JsonElement?>().LastOrDefault() is { } s ? new StrongBox(s) : null, $"{id}'s state", Patience);
            Assert.Equal(id, state.Value.GetProperty("deviceId").GetString());
            Assert.Equal(1, state.Value.GetProperty("schema").GetInt32());
            Assert.Equal(id == "dev-b" ? "needsCalibration" : "ok", state.Value.GetProperty("health").GetString());
            Assert.Equal(site.BackboneHash, state.Value.GetProperty("backboneHash").GetString());
            Assert.Equal(10_000, state.Value.GetProperty("outbox").GetProperty("maxMessages").GetInt32());
            await probe.WaitForAsync(_ => probe.LastText(Topics.Availability(Site, id)) == "online" ? "online" : null, $"{id} online", Patience);
            await probe.WaitForAsync(_ => probe.Json(Topics.Metrics(Site, id)).Count > 0 ? "metrics" : null, $"{id}'s metrics", Patience);
        }

        using var cli = ChildCli.Start("fleet", "status", "--config", site.OperatorConfig, "--json");
        var run = await cli.WaitForExitAsync();
        Assert.True(run.ExitCode == 0, run.ToString());
        var devices = run.Json().GetProperty("devices").EnumerateArray().ToList();
        Assert.Equal(FleetSiteFixture.Devices, devices.Select(d => d.GetProperty("deviceId").GetString()));
        Assert.All(devices, d => Assert.True(d.GetProperty("online").GetBoolean()));
    }

    [Fact]
    public async Task A_published_head_reaches_all_three_devices_and_each_gate_decides_on_its_own_samples()
    {
        using var cli = ChildCli.Start("fleet", "publish-head", "1", "--data", site.HqData, "--config", site.OperatorConfig, "--key", site.KeyFile,
            "--expect", "3", "--timeout", "120", "--json");
        var run = await cli.WaitForExitAsync();
        output.WriteLine(run.ToString());
        Assert.True(run.ExitCode == 0, run.ToString());
        var outcomes = run.Json().GetProperty("outcomes").EnumerateArray().ToDictionary(o => o.GetProperty("deviceId").GetString()!, o => o.GetProperty("outcome"));
        Assert.Equal(FleetSiteFixture.Devices, outcomes.Keys.Order(StringComparer.Ordinal));
        Assert.All(outcomes.Values, o => Assert.True(o.GetProperty("accepted").GetBoolean(), o.ToString()));

        // dev-a and dev-b: the hq head is as good as anything they have; dev-c labels stripes as checker, so the hq
        // head is far worse there and its own gate keeps its own head.
        Assert.True(outcomes["dev-a"].GetProperty("activated").GetBoolean(), outcomes["dev-a"].ToString());
        Assert.True(outcomes["dev-b"].GetProperty("activated").GetBoolean(), outcomes["dev-b"].ToString());
        Assert.False(outcomes["dev-c"].GetProperty("activated").GetBoolean(), outcomes["dev-c"].ToString());
        Assert.Contains("below", outcomes["dev-c"].GetProperty("reason").GetString(), StringComparison.Ordinal);

        var b = await site.Device("dev-b").Client.GetJsonAsync("/heads");
        int version = outcomes["dev-b"].GetProperty("version").GetInt32();
        Assert.Equal(version, b.GetProperty("active").GetInt32());
        var stored = b.GetProperty("items").EnumerateArray().Single(h => h.GetProperty("version").GetInt32() == version);
        Assert.Equal("fleet", stored.GetProperty("trigger").GetProperty("source").GetString(), ignoreCase: true);
        await Poll.UntilTrueAsync(async () => (await site.Device("dev-b").Client.GetJsonAsync("/status")).GetProperty("activeHead") is { ValueKind: JsonValueKind.Object } h
            && h.GetProperty("version").GetInt32() == version, Patience, "dev-b's frame loop runs the fleet head");
        var c = await site.Device("dev-c").Client.GetJsonAsync("/heads");
        Assert.NotEqual(outcomes["dev-c"].GetProperty("version").GetInt32(), c.GetProperty("active").GetInt32());
    }

    private static byte[] Seal(FleetSiteFixture site, string keyFile, long? sequence = null, Func<HeadBundle, HeadBundle>? change = null)
    {
        using var key = FleetKeys.Load(keyFile);
        var bundle = HeadBundleCodec.FromDataDirectory(site.HqData, 1, sequence ?? PublisherSequence.Next(site.KeyFile, DateTimeOffset.UtcNow), FleetKeys.KeyId(key), "test", DateTimeOffset.UtcNow);
        return HeadBundleCodec.Seal(change?.Invoke(bundle) ?? bundle, key);
    }

    internal static string IdOf(byte[] sealedBundle) =>
        JsonDocument.Parse(sealedBundle.AsMemory(12, sealedBundle.Length - 12 - SignedEnvelope.SignatureBytes)).RootElement.GetProperty("bundleId").GetString()!;

    internal static async Task<IReadOnlyList<int>> FleetVersionsOfAsync(HttpClient device, string bundleId) =>
        [.. (await device.GetJsonAsync("/heads")).GetProperty("items").EnumerateArray()
            .Where(h => h.GetProperty("trigger").GetProperty("note").GetString()?.Contains(bundleId, StringComparison.Ordinal) == true)
            .Select(h => h.GetProperty("version").GetInt32())];

    private sealed class StrongBox(JsonElement value)
    {
        public JsonElement Value { get; } = value;
    }
}
