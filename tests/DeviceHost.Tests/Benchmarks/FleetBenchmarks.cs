using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using System.Text.Json;
using DeviceHost.Fleet;
using DeviceHost.Tests.Fleet;
using DeviceHost.Tests.Hosting;
using EdgeRuntime.Calibration;
using EdgeRuntime.Features;
using EdgeRuntime.FewShot;
using EdgeRuntime.Fleet;
using EdgeRuntime.Samples;
using EdgeRuntime.TestSupport;
using EdgeRuntime.TestSupport.Images;
using EdgeRuntime.Training;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;
using Xunit.Abstractions;

namespace DeviceHost.Tests.Benchmarks;

/// <summary>
/// Fleet figures (run with <c>EDGERUNTIME_BENCH=1</c>), each against a peer measured in the same run: a bundle's
/// verify + gate + activate on 20 devices vs each device training its own head; telemetry bytes per device and hour
/// vs polling /status once a minute; outbox drain after a 10-minute outage vs publishing the same messages directly;
/// and (with Debian's fashion-mnist) the pooled discriminant vs count-weighted averaging of softmax heads. Prints,
/// never asserts on time.
/// </summary>
[SupportedOSPlatform("linux")]
[Collection(BenchmarkCollection.Name)]
public sealed class FleetBenchmarks(ITestOutputHelper output) : IDisposable
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private readonly TestDirectory _work = new("edgeruntime-fleet-bench");

    public void Dispose() => _work.Dispose();

    [BenchFact]
    public async Task Fleet_figures()
    {
        Print($"machine: {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Trim()} (other sessions may share the cores)");
        using (var backbone = new BackboneFixture())
        {
            BundleOnTwentyDevices(backbone);
            if (FashionMnist.IsInstalled)
            {
                AveragingVersusPooling(backbone);
            }
            else
            {
                Print($"softmax averaging vs pooled discriminant: skipped (dataset-fashion-mnist not installed)");
            }
        }

        using var broker = new MosquittoBroker("bench", ["dev"]);
        await TelemetryBytesAsync(broker);
        await OutboxDrainAsync(broker);
    }

    private void BundleOnTwentyDevices(BackboneFixture backbone)
    {
        var folder = _work.Combine("images");
        SyntheticImages.WriteImageFolder(folder, [ImageFamily.Stripes, ImageFamily.Blobs, ImageFamily.Checker], 10, seed: 5);
        var embedded = backbone.Engine.EmbedFiles([.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)]);
        var options = new CalibrationOptions { AugmentedViews = 0 };
        using var key = FleetKeys.Generate();
        byte[] bundle;
        using (var hq = Open(backbone, "hq", options, embedded))
        {
            hq.Train(new TrainRequest());
            bundle = HeadBundleCodec.Seal(HeadBundleCodec.FromDataDirectory(hq.DataDirectory, hq.ActiveVersion!.Value, 1, FleetKeys.KeyId(key), "hq", DateTimeOffset.UtcNow), key);
        }

        var verify = new List<double>();
        var apply = new List<double>();
        var train = new List<double>();
        int activated = 0;
        for (int i = 0; i < 20; i++)
        {
            using var device = Open(backbone, $"device-{i:D2}", options, embedded);
            var clock = Stopwatch.StartNew();
            device.Train(new TrainRequest());
            train.Add(clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            HeadBundleCodec.Open(bundle, key, backbone.Engine.BackboneHash, backbone.Engine.Dimension);
            verify.Add(clock.Elapsed.TotalMilliseconds);
            var adopter = new FleetHeadAdopter(device, backbone.Engine, new BundleLedger(device.DataDirectory), NullLogger<FleetHeadAdopter>.Instance);
            clock.Restart();
            var outcome = adopter.Apply(bundle, key, HeadBundleCodec.DefaultMaxBytes);
            apply.Add(clock.Elapsed.TotalMilliseconds);
            activated += outcome.Activated ? 1 : 0;
        }

        Print($"bundle ({bundle.Length} bytes) on 20 devices, one after another in one process, separate data directories: verify+gate+activate median {Median(apply):F1} ms, max {apply.Max():F1} ms, total {apply.Sum() / 1000:F2} s ({activated}/20 activated); signature+parse alone median {Median(verify):F2} ms");
        Print($"  peer, each device training its own head on the same {embedded.Succeeded.Count} samples: median {Median(train):F0} ms; ratio train / bundle {Median(train) / Median(apply):F1}x");
    }

    private CalibrationWorkspace Open(BackboneFixture backbone, string name, CalibrationOptions options, EdgeRuntime.Embeddings.BatchEmbeddingResult embedded)
    {
        var workspace = new CalibrationWorkspace(_work.Combine(name), backbone.Engine, backbone.Factory, options, NullLoggerFactory.Instance);
        foreach (var e in embedded.Succeeded)
        {
            workspace.AddSample(File.ReadAllBytes(e.Name), Path.GetFileName(Path.GetDirectoryName(e.Name)!), SampleSource.Import, Path.GetFileName(e.Name), e.Embedding);
        }

        return workspace;
    }

    /// <summary>Three devices with skewed (non-IID) fashion-mnist samples: FedAvg of linear softmax heads vs the exact pooled discriminant.</summary>
    private void AveragingVersusPooling(BackboneFixture backbone)
    {
        var homes = new[] { new[] { 0, 1, 2 }, new[] { 3, 4, 5, 6 }, new[] { 7, 8, 9 } };
        var devices = new List<(float[] X, int[] Y)>();
        int skip = 0;
        for (int d = 0; d < homes.Length; d++)
        {
            var x = new List<float>();
            var y = new List<int>();
            for (int c = 0; c < FashionMnist.Classes; c++)
            {
                int shots = homes[d].Contains(c) ? 40 : 4;
                var images = FashionMnist.Load(train: true, perClass: 40, skipPerClass: skip).Where(t => t.Label == c).Take(shots).ToList();
                foreach (var (image, label) in images)
                {
                    x.AddRange(backbone.Engine.Embed(image));
                    y.Add(label);
                    image.Dispose();
                }
            }

            skip += 40;
            devices.Add(([.. x], [.. y]));
        }

        var test = FashionMnist.Load(train: false, perClass: 100);
        var testX = test.SelectMany(t => backbone.Engine.Embed(t.Image)).ToArray();
        var testY = test.Select(t => t.Label).ToArray();
        test.ForEach(t => t.Image.Dispose());
        int dim = backbone.Engine.Dimension;
        var trainer = new FewShotTrainer(backbone.Factory) { Seed = 1 };
        var recipe = new Recipe(FeatureTransformKind.L2, HeadFamily.Linear, 1e-3f, Shrinkage.Oas, default);
        var heads = devices.Select(dev => trainer.Fit(new FewShotSamples(dev.X, dev.Y, dim, FashionMnist.Classes), recipe)).ToList();
        var weights = devices.Select(dev => (double)dev.Y.Length).ToList();
        var parts = heads.Select(h => h.Parts[0]).ToList();
        var averaged = parts[0].Parameters.Select((_, p) => Enumerable.Range(0, parts[0].Parameters[p].Length)
            .Select(i => (float)(parts.Select((part, k) => part.Parameters[p][i] * weights[k]).Sum() / weights.Sum())).ToArray()).ToList();
        var fedAvg = new FewShotHead(heads[0].Transform, HeadFamily.Linear, [new TrainedHead(parts[0].Shape, averaged, AdamState.Zero(parts[0].Shape), 0, [])]);

        var allX = devices.SelectMany(d => d.X).ToArray();
        var allY = devices.SelectMany(d => d.Y).ToArray();
        var centralSoftmax = trainer.Fit(new FewShotSamples(allX, allY, dim, FashionMnist.Classes), recipe);
        var pooledL2 = FleetAggregator.Fit(ClassMoments.FromEmbeddings(FeatureTransform.Fit(FeatureTransformKind.L2, allX, dim), allX, allY, FashionMnist.Classes), Shrinkage.Oas);
        var pooledPower = FleetAggregator.Fit(ClassMoments.FromEmbeddings(FeatureTransform.Fit(FeatureTransformKind.PowerCenteredL2, allX, dim), allX, allY, FashionMnist.Classes), Shrinkage.Oas);
        double Acc(FewShotHead h) => h.Predict(testX).Zip(testY).Count(t => t.First == t.Second) / (double)testY.Length;
        Print($"federation on fashion-mnist (3 devices, 40 shots of their own classes and 4 of the others, {allY.Length} samples; {testY.Length} test images):");
        Print($"  count-weighted average of the devices' linear softmax heads (L2): {Acc(fedAvg):P1}; each device's own head: {string.Join(", ", heads.Select(h => Acc(h).ToString("P1", Inv)))}");
        Print($"  central linear softmax on all samples (what averaging approximates): {Acc(centralSoftmax):P1}");
        Print($"  pooled shrinkage discriminant from moments (exactly the central fit): L2 {Acc(pooledL2):P1}, PowerCenteredL2 {Acc(pooledPower):P1}; cost of averaging vs pooled (PowerCenteredL2): {100 * (Acc(pooledPower) - Acc(fedAvg)):F1} points");
    }

    private async Task TelemetryBytesAsync(MosquittoBroker broker)
    {
        await using var probe = await FleetProbe.ConnectAsync(broker, MosquittoBroker.Operator, filters: ["edgeruntime/bench/dev/#"]);
        await using var host = await DeviceHostRunner.StartAsync(new Dictionary<string, string?>
        {
            ["Pipeline:Source"] = "synthetic:?fps=2",
            ["Fleet:Enabled"] = "true",
            ["Fleet:Broker"] = broker.Uri,
            ["Fleet:DeviceId"] = "dev",
            ["Fleet:Site"] = "bench",
            ["Fleet:CredentialsFile"] = broker.CredentialsFile("dev"),
            ["Fleet:MetricsInterval"] = "00:00:01",
            ["Fleet:StateInterval"] = "00:00:02",
        });
        await Task.Delay(TimeSpan.FromSeconds(15));
        var messages = probe.Messages;
        double Size(string kind) => messages.Where(m => m.Topic.EndsWith("/" + kind, StringComparison.Ordinal)).Select(m => m.Payload.Length + m.Topic.Length + 8.0).DefaultIfEmpty(0).Average();
        double metrics = Size("metrics"), state = Size("state"), availability = Size("availability");

        // At the defaults: metrics every minute, the state heartbeat every 5 minutes (more on change), availability once.
        double perHour = (60 * metrics) + (12 * state) + availability;
        var status = await host.Client.GetStringAsync(HostApi.Path("/status"));
        double polling = 60 * (status.Length + 200.0);
        Print($"telemetry: metrics message {metrics:F0} B, state {state:F0} B (payload + topic + ~8 B MQTT header); at the defaults {perHour / 1024:F1} KiB per device per hour ({perHour * 24 / 1048576:F2} MiB/day) plus events");
        Print($"  peer, polling /status once a minute over HTTP ({status.Length} B + ~200 B headers): {polling / 1024:F1} KiB/hour; ratio {polling / perHour:F1}x");
    }

    private async Task OutboxDrainAsync(MosquittoBroker broker)
    {
        // A 10-minute outage at a pessimistic one event per second: 600 events wait in the outbox.
        var sample = JsonSerializer.SerializeToUtf8Bytes(new FleetEvent
        {
            Id = Guid.NewGuid().ToString("N"),
            DeviceId = "dev",
            Site = "bench",
            AtUtc = DateTimeOffset.UtcNow,
            Kind = FleetEvent.HeadActivated,
            Message = "Head v12 is active (blobs, checker, stripes), accuracy 0.987.",
            Data = JsonSerializer.SerializeToElement(new { version = 12, labels = new[] { "blobs", "checker", "stripes" }, accuracy = 0.987, trigger = "fleet", previous = 11 }),
        }, FleetJson.Options);
        const int count = 600;
        broker.Kill();
        var outbox = new FleetOutbox(_work.Combine("outbox"), 10_000, 64L << 20);
        var enqueue = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            outbox.TryEnqueue("edgeruntime/bench/dev/events", sample, 1, false);
        }

        double enqueueMs = enqueue.Elapsed.TotalMilliseconds;
        var options = new FleetOptions { Enabled = true, Broker = broker.Uri, DeviceId = "dev", Site = "bench", CredentialsFile = broker.CredentialsFile("dev"), InitialBackoff = TimeSpan.FromMilliseconds(50), MaxBackoff = TimeSpan.FromMilliseconds(200) };
        using var connection = new FleetConnection(new MqttFleetBroker(BrokerSettings.ForDevice(options), 1 << 20), outbox, options, [], TimeProvider.System, NullLogger<FleetConnection>.Instance);
        await connection.StartAsync(CancellationToken.None);
        broker.Start();
        var drain = Stopwatch.StartNew();
        while (outbox.Count > 0)
        {
            await Task.Delay(5);
        }

        double drainS = drain.Elapsed.TotalSeconds;
        await connection.StopAsync(CancellationToken.None);

        await using var direct = await FleetProbe.ConnectAsync(broker, "dev");
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            await direct.Broker.PublishAsync("edgeruntime/bench/dev/events", sample, 1, false, CancellationToken.None);
        }

        double directS = clock.Elapsed.TotalSeconds;
        Print($"outbox after a 10-minute outage ({count} events of {sample.Length} B queued on disk in {enqueueMs:F0} ms): drained in {drainS:F2} s from the broker's return (reconnect included) = {count / drainS:F0} messages/s, {count * sample.Length / drainS / 1024:F0} KiB/s, in order");
        Print($"  peer, the same {count} QoS 1 publishes sent directly (no disk, already connected): {count / directS:F0} messages/s; ratio direct / outbox {drainS / directS:F2}x");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private void Print(FormattableString line)
    {
        var text = line.ToString(Inv);
        output.WriteLine(text);
        Console.WriteLine(text);
    }
}
