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
            // dev-b has no head of its own; it has one once a test before this one published a bundle.
            Assert.Equal(state.Value.GetProperty("activeHead").ValueKind == JsonValueKind.Null ? "needsCalibration" : "ok", state.Value.GetProperty("health").GetString());
            Assert.True(id == "dev-b" || state.Value.GetProperty("activeHead").ValueKind == JsonValueKind.Object, state.Value.ToString());
            Assert.Equal(site.BackboneHash, state.Value.GetProperty("backboneHash").GetString());
            Assert.Equal("fp32", state.Value.GetProperty("precision").GetString());
            Assert.Equal("cpu", state.Value.GetProperty("provider").GetString(), ignoreCase: true);
            Assert.Equal(10_000, state.Value.GetProperty("outbox").GetProperty("maxMessages").GetInt32());
            await probe.WaitForAsync(_ => probe.LastText(Topics.Availability(Site, id)) == "online" ? "online" : null, $"{id} online", Patience);
            await probe.WaitForAsync(_ => probe.Json(Topics.Metrics(Site, id)).Count > 0 ? "metrics" : null, $"{id}'s metrics", Patience);
        }

        using var cli = ChildCli.Start("fleet", "status", "--config", site.OperatorConfig, "--timeout", "30", "--json");
        var run = await cli.WaitForExitAsync();
        Assert.True(run.ExitCode == 0, run.ToString());
        output.WriteLine(run.ToString());
        foreach (var id in FleetSiteFixture.Devices)
        {
            output.WriteLine(probe.Json(Topics.State(Site, id)).LastOrDefault().ToString());
        }

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

    [Fact]
    public async Task Tampered_foreign_replayed_truncated_oversized_and_malformed_bundles_are_refused_reported_and_change_nothing()
    {
        await using var probe = await FleetProbe.ConnectAsync(site.Broker, MosquittoBroker.Operator, filters:
            [Topics.AllDevices(Site, "outcomes"), Topics.AllDevices(Site, "events")]);

        // Two good bundles signed in order; the newer goes first so the older one is a replay.
        var older = Seal(site, site.KeyFile);
        var newer = Seal(site, site.KeyFile);
        await PublishAsync(probe, newer);
        foreach (var id in FleetSiteFixture.Devices)
        {
            var accepted = await probe.OutcomeAsync(Site, id, IdOf(newer), Patience);
            Assert.True(accepted!.Value.GetProperty("accepted").GetBoolean(), accepted.Value.ToString());
        }

        var before = await HeadsOfAllAsync();
        var tampered = (byte[])newer.Clone();
        tampered[tampered.Length / 2] ^= 0x20;
        var oversized = new byte[5 * 1024 * 1024];
        Encoding.ASCII.GetBytes(HeadBundleCodec.Magic).CopyTo(oversized, 0);
        var cases = new (string Name, byte[] Message, FleetRefusal Expected)[]
        {
            ("tampered", tampered, FleetRefusal.BadSignature),
            ("signed with a key the devices do not trust", Seal(site, site.RogueKeyFile), FleetRefusal.BadSignature),
            ("replay of an older sequence", older, FleetRefusal.Replay),
            ("truncated", newer[..(newer.Length - 100)], FleetRefusal.Truncated),
            ("oversized", oversized, FleetRefusal.Oversized),
            ("malformed", Encoding.UTF8.GetBytes("{\"schema\":1,\"bundleId\":\"x\"}"), FleetRefusal.Malformed),
        };
        foreach (var (name, message, expected) in cases)
        {
            int seen = RefusalCount(probe, "dev-a", expected);
            await PublishAsync(probe, message);
            foreach (var id in FleetSiteFixture.Devices)
            {
                await probe.WaitForAsync(_ => RefusalCount(probe, id, expected) > (id == "dev-a" ? seen : 0) ? "refused" : null, $"{id} refusing the {name} bundle ({expected})", Patience);
            }

            output.WriteLine($"{name}: refused as {expected} by every device");
        }

        // Reported as events too, and the redelivered good bundle is not applied a second time.
        await probe.WaitForAsync(_ => probe.Json(Topics.Events(Site, "dev-a")).Any(e => e.GetProperty("kind").GetString() == FleetEvent.BundleRefused) ? "event" : null, "a bundleRefused event", Patience);
        await PublishAsync(probe, newer);
        await probe.WaitForAsync(_ => probe.Json(Topics.Outcomes(Site, "dev-a")).Any(o => o.GetProperty("outcome").GetProperty("alreadyApplied").GetBoolean()) ? "again" : null, "dev-a answering the repeated bundle", Patience);
        Assert.Equal(before, await HeadsOfAllAsync());
        foreach (var id in FleetSiteFixture.Devices)
        {
            Assert.Single(await FleetVersionsOfAsync(site.Device(id).Client, IdOf(newer)));
        }
    }

    [Fact]
    public async Task The_broker_refuses_a_device_writing_another_devices_topic_or_publishing_bundles()
    {
        await using var watcher = await FleetProbe.ConnectAsync(site.Broker, MosquittoBroker.Operator, filters: [Topics.State(Site, "dev-b")]);
        await watcher.WaitForAsync(_ => watcher.Json(Topics.State(Site, "dev-b")).Count > 0 ? "state" : null, "dev-b's retained state", Patience);
        await using var impostor = await FleetProbe.ConnectAsync(site.Broker, "dev-a");
        var forged = Encoding.UTF8.GetBytes("""{"schema":1,"deviceId":"dev-b","health":"ok"}""");
        Assert.Contains("NotAuthorized", await impostor.Broker.PublishAsync(Topics.State(Site, "dev-b"), forged, 1, retain: true, CancellationToken.None), StringComparison.Ordinal);
        Assert.Contains("NotAuthorized", await impostor.Broker.PublishAsync(Topics.Heads(Site), Seal(site, site.KeyFile), 1, retain: true, CancellationToken.None), StringComparison.Ordinal);
        Assert.Null(await impostor.Broker.PublishAsync(Topics.Events(Site, "dev-a"), "{}"u8.ToArray(), 1, retain: false, CancellationToken.None));

        // A fresh subscriber sees dev-b's own retained state, not the forgery.
        await using var fresh = await FleetProbe.ConnectAsync(site.Broker, MosquittoBroker.Operator, filters: [Topics.State(Site, "dev-b")]);
        var state = (await fresh.WaitForAsync(_ => fresh.Json(Topics.State(Site, "dev-b")).Cast<JsonElement?>().FirstOrDefault() is { } s ? new StrongBox(s) : null, "dev-b's state", Patience)).Value;
        Assert.True(state.TryGetProperty("outbox", out _), state.ToString());
    }

    [Fact]
    public async Task A_broker_killed_and_restarted_mid_flight_loses_no_bundle_or_event_and_no_device_applies_a_bundle_twice()
    {
        await using var probe = await FleetProbe.ConnectAsync(site.Broker, MosquittoBroker.Operator, "fault-probe", persistent: true,
            Topics.AllDevices(Site, "outcomes"), Topics.AllDevices(Site, "events"), Topics.AllDevices(Site, "state"));
        var bundle = Seal(site, site.KeyFile);
        await PublishAsync(probe, bundle);
        await probe.WaitForAsync(_ => FleetSiteFixture.Devices.Any(d => probe.Json(Topics.Outcomes(Site, d)).Count > 0) ? "first" : null,
            "the first outcome (the bundle is being delivered)", Patience);
        site.Broker.Kill();

        // While the broker is down dev-a's head changes three times: three events wait in its outbox.
        var a = site.Device("dev-a").AuthorizedClient;
        var versions = (await a.GetJsonAsync("/heads")).GetProperty("items").EnumerateArray().Select(h => h.GetProperty("version").GetInt32()).Order().ToList();
        var sequence = new[] { versions[0], versions[^1], versions[0] };
        foreach (var v in sequence)
        {
            await a.PostJsonAsync($"/heads/{v}/activate", "{}");
            await Task.Delay(1000);
        }

        site.Broker.Start();
        await probe.ReconnectAsync(Patience);
        var id = IdOf(bundle);
        foreach (var device in FleetSiteFixture.Devices)
        {
            // Mosquitto persists by snapshot: an outcome it acknowledged just before SIGKILL can die with it. The
            // device's retained state, re-sent at every connection, carries the decision, as docs/fleet.md says.
            try
            {
                await probe.WaitForAsync(_ => probe.Json(Topics.Outcomes(Site, device)).Select(o => o.GetProperty("outcome"))
                    .Concat(probe.Json(Topics.State(Site, device)).Where(s => s.TryGetProperty("lastBundle", out var b) && b.ValueKind == JsonValueKind.Object)
                        .Select(s => s.GetProperty("lastBundle")))
                    .Where(o => o.GetProperty("bundleId").GetString() == id).Select(o => new StrongBox(o)).FirstOrDefault(),
                    $"{device}'s decision on bundle {id} (outcome or retained state)", Patience);
            }
            catch (TimeoutException)
            {
                output.WriteLine($"--- {device} output ---\n{site.Device(device).Output}");
                throw;
            }

            Assert.Single(await FleetVersionsOfAsync(site.Device(device).Client, id));
        }

        // Delivery is at least once (a message whose acknowledgement the dead broker never sent comes again), so
        // events are deduplicated by id, as docs/fleet.md tells consumers to; none may be missing or out of order.
        await probe.WaitForAsync(_ =>
        {
            var events = probe.Json(Topics.Events(Site, "dev-a")).DistinctBy(e => e.GetProperty("id").GetString())
                .Where(e => e.GetProperty("kind").GetString() == FleetEvent.HeadActivated).ToList();
            var tail = events.TakeLast(sequence.Length).Select(e => e.GetProperty("data").GetProperty("version").GetInt32()).ToList();
            return tail.SequenceEqual(sequence) ? events : null;
        }, "dev-a's three headActivated events in order", Patience);
    }

    [Fact]
    public async Task A_device_that_was_down_when_a_bundle_was_published_applies_it_once_and_a_restart_does_not_apply_it_again()
    {
        await using var probe = await FleetProbe.ConnectAsync(site.Broker, MosquittoBroker.Operator, filters: [Topics.Outcomes(Site, "dev-b"), Topics.Availability(Site, "dev-b"), Topics.State(Site, "dev-b")]);
        site.KillDevice("dev-b");
        await probe.WaitForAsync(_ => probe.LastText(Topics.Availability(Site, "dev-b")) == "offline" ? "offline" : null, "dev-b's last will", Patience);
        var bundle = Seal(site, site.KeyFile);
        await PublishAsync(probe, bundle);

        var b = await site.StartDeviceAsync("dev-b");
        var outcome = await probe.OutcomeAsync(Site, "dev-b", IdOf(bundle), Patience);
        Assert.False(outcome!.Value.GetProperty("alreadyApplied").GetBoolean());
        Assert.Single(await FleetVersionsOfAsync(b.Client, IdOf(bundle)));
        var heads = (await b.Client.GetJsonAsync("/heads")).GetProperty("items").GetArrayLength();

        site.KillDevice("dev-b");
        var restartedAt = DateTimeOffset.UtcNow;
        b = await site.StartDeviceAsync("dev-b");
        await probe.WaitForAsync(_ => probe.LastText(Topics.Availability(Site, "dev-b")) == "online" ? "online" : null, "dev-b back online", Patience);
        await Task.Delay(2000);
        Assert.Equal(heads, (await b.Client.GetJsonAsync("/heads")).GetProperty("items").GetArrayLength());
        Assert.Single(await FleetVersionsOfAsync(b.Client, IdOf(bundle)));

        // The restarted device's retained state still names its decision, read back from its ledger.
        await probe.WaitForAsync(_ => probe.Json(Topics.State(Site, "dev-b")).Where(s => s.GetProperty("updatedUtc").GetDateTimeOffset() > restartedAt)
            .Where(s => s.TryGetProperty("lastBundle", out var last) && last.ValueKind == JsonValueKind.Object && last.GetProperty("bundleId").GetString() == IdOf(bundle))
            .Select(s => new StrongBox(s)).FirstOrDefault(), "dev-b's state naming the bundle after its restart", Patience);
    }

    [Fact]
    public async Task Fleet_aggregate_pools_every_devices_signed_moments_into_one_head_that_each_device_gates()
    {
        await using var probe = await FleetProbe.ConnectAsync(site.Broker, MosquittoBroker.Operator, filters: [Topics.AllDevices(Site, "outcomes")]);
        using var cli = ChildCli.Start("fleet", "aggregate", "--config", site.OperatorConfig, "--key", site.KeyFile, "--expect", "3", "--timeout", "120", "--json");
        var run = await cli.WaitForExitAsync();
        output.WriteLine(run.ToString());
        Assert.True(run.ExitCode == 0, run.ToString());
        var result = run.Json();
        Assert.Equal(["blobs", "checker", "stripes"], result.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal(3 * 24, result.GetProperty("samples").GetInt64());
        Assert.Empty(result.GetProperty("refusals").EnumerateArray());
        var id = result.GetProperty("bundleId").GetString()!;
        foreach (var device in FleetSiteFixture.Devices)
        {
            var outcome = (await probe.OutcomeAsync(Site, device, id, Patience))!.Value;
            output.WriteLine($"{device}: {outcome}");
            Assert.True(outcome.GetProperty("accepted").GetBoolean(), outcome.ToString());
            Assert.False(string.IsNullOrEmpty(outcome.GetProperty("reason").GetString()));
        }
    }

    [Fact]
    public async Task A_moments_request_not_signed_with_the_fleet_key_is_answered_by_no_device()
    {
        await using var probe = await FleetProbe.ConnectAsync(site.Broker, MosquittoBroker.Operator, filters: [Topics.AllDevices(Site, "moments")]);
        using var rogue = FleetKeys.Load(site.RogueKeyFile);
        using var fleet = FleetKeys.Load(site.KeyFile);
        var forged = new MomentsRequest { RequestId = "forged-" + Guid.NewGuid().ToString("N"), Stage = MomentsRequest.ReferenceMeanStage, Transform = EdgeRuntime.Features.FeatureTransformKind.L2 };
        var genuine = forged with { RequestId = "genuine-" + Guid.NewGuid().ToString("N") };

        // In order on one topic from one publisher: every device handles both forgeries before the genuine request.
        Assert.Null(await probe.Broker.PublishAsync(Topics.Requests(Site), MomentsRequestCodec.Seal(forged, rogue), 1, retain: false, CancellationToken.None));
        Assert.Null(await probe.Broker.PublishAsync(Topics.Requests(Site), JsonSerializer.SerializeToUtf8Bytes(forged, FleetJson.Options), 1, retain: false, CancellationToken.None));
        Assert.Null(await probe.Broker.PublishAsync(Topics.Requests(Site), MomentsRequestCodec.Seal(genuine, fleet), 1, retain: false, CancellationToken.None));

        await probe.WaitForAsync(_ => FleetSiteFixture.Devices.All(d => RequestIdsAnswered(probe, d).Contains(genuine.RequestId)) ? "answered" : null,
            "every device's moments for the genuine request", Patience);
        foreach (var device in FleetSiteFixture.Devices)
        {
            Assert.DoesNotContain(forged.RequestId, RequestIdsAnswered(probe, device));
        }
    }

    [Fact]
    public async Task A_device_killed_between_storing_a_bundle_and_recording_it_applies_it_exactly_once_after_restart()
    {
        await using var probe = await FleetProbe.ConnectAsync(site.Broker, MosquittoBroker.Operator, filters: [Topics.Outcomes(Site, "dev-b")]);
        var heads = Path.Combine(site.DataOf("dev-b"), "heads");
        var ledger = Path.Combine(site.DataOf("dev-b"), "fleet", "bundles.json");
        bool crashedMidWork = false;

        // The kill lands when the new version directory appears (the registry's rename); the ledger is written a few
        // milliseconds later. A kill that came too late proves nothing, so try again with a new bundle.
        for (int attempt = 1; attempt <= 5 && !crashedMidWork; attempt++)
        {
            int pid = site.Device("dev-b").ProcessId;
            var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var watcher = new FileSystemWatcher(heads) { NotifyFilter = NotifyFilters.DirectoryName };
            watcher.Renamed += (_, e) =>
            {
                if (e.Name is { Length: > 1 } name && name[0] == 'v' && name.Skip(1).All(char.IsAsciiDigit) && !killed.Task.IsCompleted)
                {
                    using var process = System.Diagnostics.Process.GetProcessById(pid);
                    process.Kill();
                    killed.TrySetResult();
                }
            };
            watcher.EnableRaisingEvents = true;
            var bundle = Seal(site, site.KeyFile);
            var id = IdOf(bundle);
            await PublishAsync(probe, bundle);
            await killed.Task.WaitAsync(Patience);
            site.KillDevice("dev-b");
            crashedMidWork = !File.Exists(ledger) || !File.ReadAllText(ledger).Contains(id, StringComparison.Ordinal);
            output.WriteLine($"attempt {attempt}: killed {(crashedMidWork ? "between storing and recording" : "after recording")} bundle {id}");

            var b = await site.StartDeviceAsync("dev-b");
            var outcome = (await probe.OutcomeAsync(Site, "dev-b", id, Patience))!.Value;
            Assert.True(outcome.GetProperty("accepted").GetBoolean(), outcome.ToString());
            Assert.Single(await FleetVersionsOfAsync(b.Client, id));
            Assert.Contains(id, File.ReadAllText(ledger), StringComparison.Ordinal);
        }

        Assert.True(crashedMidWork, "no kill landed between storing a bundle and recording it in 5 attempts");
    }

    [Fact]
    public async Task Fleet_keygen_writes_a_key_pair_the_devices_load_and_never_overwrites_one()
    {
        var prefix = Path.Combine(site.Root, "keygen-" + Guid.NewGuid().ToString("N")[..6]);
        using (var cli = ChildCli.Start("fleet", "keygen", prefix))
        {
            var run = await cli.WaitForExitAsync();
            Assert.True(run.ExitCode == 0, run.ToString());
        }

        using (var privateKey = FleetKeys.Load(prefix + ".key.pem"))
        using (var publicKey = FleetKeys.Load(prefix + ".pub.pem"))
        {
            Assert.Equal(FleetKeys.KeyId(privateKey), FleetKeys.KeyId(publicKey));
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(prefix + ".key.pem"));
        using var again = ChildCli.Start("fleet", "keygen", prefix);
        var second = await again.WaitForExitAsync();
        Assert.NotEqual(0, second.ExitCode);
        Assert.Contains("never overwritten", second.Stdout + second.Stderr, StringComparison.Ordinal);
    }

    private static async Task PublishAsync(FleetProbe probe, byte[] message) =>
        Assert.Null(await probe.Broker.PublishAsync(Topics.Heads(Site), message, 1, retain: true, CancellationToken.None));

    private static List<string> RequestIdsAnswered(FleetProbe probe, string device) =>
        [.. probe.Messages.Where(m => m.Topic == Topics.Moments(Site, device))
            .Select(m => JsonDocument.Parse(m.Payload[12..^SignedEnvelope.SignatureBytes]).RootElement.GetProperty("requestId").GetString()!)];

    private static int RefusalCount(FleetProbe probe, string device, FleetRefusal refusal) =>
        probe.Json(Topics.Outcomes(Site, device)).Count(o => o.GetProperty("outcome").GetProperty("refusal").ValueKind == JsonValueKind.String
            && o.GetProperty("outcome").GetProperty("refusal").GetString() == JsonNamingPolicy.CamelCase.ConvertName(refusal.ToString()));

    private async Task<string> HeadsOfAllAsync()
    {
        var parts = new List<string>();
        foreach (var id in FleetSiteFixture.Devices)
        {
            var heads = await site.Device(id).Client.GetJsonAsync("/heads");
            parts.Add($"{id}: active {heads.GetProperty("active")}, versions {string.Join(",", heads.GetProperty("items").EnumerateArray().Select(h => h.GetProperty("version").GetInt32()))}");
        }

        return string.Join("; ", parts);
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
