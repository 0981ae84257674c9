using EdgeRuntime.Calibration;
using EdgeRuntime.Fleet;
using EdgeRuntime.Heads;
using EdgeRuntime.Samples;
using EdgeRuntime.TestSupport;
using EdgeRuntime.Training;
using EdgeRuntime.Tests.Calibration;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeRuntime.Tests.Fleet;

/// <summary>A head trained in one data directory, signed, and applied to another device's workspace through its own gate.</summary>
[Collection(CalibrationTestGroup.Name)]
public sealed class FleetHeadAdopterTests(CalibrationFixture fixture) : IDisposable
{
    private readonly TestDirectory _publisher = new("fleet-publisher");
    private readonly TestDirectory _device = new("fleet-device");
    private readonly System.Security.Cryptography.ECDsa _key = FleetKeys.Generate();

    public void Dispose()
    {
        _key.Dispose();
        _publisher.Dispose();
        _device.Dispose();
    }

    [Fact]
    public void A_bundle_is_stored_with_trigger_fleet_and_activated_only_when_this_devices_gate_passes_it()
    {
        var bundle = Publish(sequence: 1);
        using var device = fixture.Open(_device);
        AddSamples(device, swapped: true);
        var local = device.Train(new TrainRequest());
        Assert.True(local.Activated);

        var outcome = Adopter(device).Apply(bundle, _key, HeadBundleCodec.DefaultMaxBytes);
        Assert.True(outcome.Accepted, outcome.Reason);
        Assert.False(outcome.Activated, outcome.Reason);
        Assert.Contains("below", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(local.Version, device.Registry.ActiveVersion);
        var stored = device.Registry.Get(outcome.Version!.Value).Manifest;
        Assert.Equal(HeadTriggerSource.Fleet, stored.Trigger.Source);
        Assert.Equal(Sealed(bundle).BundleId, stored.Trigger.Note![13..45]);
        Assert.False(stored.Gate.ShouldActivate);
    }

    [Fact]
    public void A_device_without_a_holdout_split_judges_a_bundle_on_all_its_samples_and_says_so()
    {
        var bundle = Publish(sequence: 2);
        using var device = fixture.Open(_device);
        foreach (var sample in fixture.Samples.GroupBy(s => s.Label).Select(g => g.First()))
        {
            device.AddSample(sample.Bytes, sample.Label, SampleSource.Import, Path.GetFileName(sample.Path), sample.Embedding);
        }

        var outcome = Adopter(device).Apply(bundle, _key, HeadBundleCodec.DefaultMaxBytes);
        Assert.True(outcome.Accepted && outcome.Activated, outcome.Reason);
        Assert.StartsWith("judged on 3 of this device's samples, which it never trained on", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_device_that_crashed_between_storing_and_recording_a_bundle_finishes_it_once_after_restart()
    {
        var bundle = Publish(sequence: 3);
        using (var device = fixture.Open(_device))
        {
            AddSamples(device, swapped: false);
            var crashing = new FleetHeadAdopter(device, fixture.Backbone.Engine, new BundleLedger(device.DataDirectory, new SpaceLimitedFileSystem(0)), NullLogger<FleetHeadAdopter>.Instance);
            Assert.ThrowsAny<IOException>(() => crashing.Apply(bundle, _key, HeadBundleCodec.DefaultMaxBytes));

            // It died mid-work: the head is stored (and active) but the ledger knows nothing of it.
            Assert.Single(FleetVersions(device));
            Assert.Equal(0, new BundleLedger(device.DataDirectory).LastSequence(FleetKeys.KeyId(_key)));
        }

        using (var restarted = fixture.Open(_device))
        {
            var adopter = Adopter(restarted);
            var outcome = adopter.Apply(bundle, _key, HeadBundleCodec.DefaultMaxBytes);
            Assert.True(outcome.Accepted && outcome.Activated, outcome.Reason);
            Assert.Equal(FleetVersions(restarted).Single(), outcome.Version);
            Assert.Equal(outcome.Version, restarted.Registry.ActiveVersion);
            Assert.True(adopter.Apply(bundle, _key, HeadBundleCodec.DefaultMaxBytes).AlreadyApplied);
            Assert.Single(FleetVersions(restarted));
            Assert.Equal(3, new BundleLedger(restarted.DataDirectory).LastSequence(FleetKeys.KeyId(_key)));
        }
    }

    [Fact]
    public async Task A_bundle_that_arrives_during_a_local_training_waits_for_it_and_is_judged_against_the_head_it_produced()
    {
        var bundle = Publish(sequence: 4);
        using var device = fixture.Open(_device);
        AddSamples(device, swapped: true);
        using var training = new SemaphoreSlim(0);
        using var release = new SemaphoreSlim(0);
        var progress = new BlockingProgress(training, release);
        var local = Task.Run(() => device.Train(new TrainRequest(), progress));
        await training.WaitAsync();

        // The training holds the slot. Unserialised, the bundle would be stored (and judged against nothing) now.
        var adoption = Task.Run(() => Adopter(device).Apply(bundle, _key, HeadBundleCodec.DefaultMaxBytes));
        await Task.WhenAny(adoption, Task.Delay(TimeSpan.FromSeconds(2)));
        release.Release();
        var trained = await local;
        var outcome = await adoption;

        Assert.True(outcome.Accepted, outcome.Reason);
        Assert.True(outcome.Version > trained.Version, $"bundle stored as v{outcome.Version}, training as v{trained.Version}");
        Assert.Equal(trained.Version, device.Registry.Get(outcome.Version!.Value).Manifest.Gate.ComparedWithVersion);
        Assert.False(outcome.Activated, outcome.Reason);
    }

    [Fact]
    public void An_older_bundle_after_a_newer_one_is_a_replay_and_changes_nothing()
    {
        var older = Publish(sequence: 10);
        var newer = Publish(sequence: 11);
        using var device = fixture.Open(_device);
        AddSamples(device, swapped: false);
        var adopter = Adopter(device);
        Assert.True(adopter.Apply(newer, _key, HeadBundleCodec.DefaultMaxBytes).Accepted);
        var versions = device.Registry.List().Count;
        var replay = adopter.Apply(older, _key, HeadBundleCodec.DefaultMaxBytes);
        Assert.False(replay.Accepted);
        Assert.Equal(FleetRefusal.Replay, replay.Refusal);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(older)), replay.MessageSha256);
        Assert.Equal(versions, device.Registry.List().Count);
    }

    private FleetHeadAdopter Adopter(CalibrationWorkspace device) =>
        new(device, fixture.Backbone.Engine, new BundleLedger(device.DataDirectory), NullLogger<FleetHeadAdopter>.Instance);

    private byte[] Publish(long sequence)
    {
        using var publisher = fixture.Open(_publisher);
        if (publisher.Registry.ActiveVersion is null)
        {
            AddSamples(publisher, swapped: false);
            publisher.Train(new TrainRequest());
        }

        var head = publisher.Registry.Load(publisher.Registry.ActiveVersion!.Value);
        return HeadBundleCodec.Seal(HeadBundleCodec.FromLoadedHead(head, sequence, FleetKeys.KeyId(_key), "publisher", DateTimeOffset.UtcNow), _key);
    }

    private HeadBundle Sealed(byte[] message) => HeadBundleCodec.Open(message, _key, fixture.Backbone.Engine.BackboneHash, fixture.Backbone.Engine.Dimension);

    /// <summary>Every generated sample; swapped, stripes and checker trade labels (a device whose classes mean something else).</summary>
    private void AddSamples(CalibrationWorkspace workspace, bool swapped)
    {
        foreach (var sample in fixture.Samples)
        {
            var label = !swapped ? sample.Label : sample.Label switch { "stripes" => "checker", "checker" => "stripes", var other => other };
            workspace.AddSample(sample.Bytes, label, SampleSource.Import, Path.GetFileName(sample.Path), sample.Embedding);
        }
    }

    private static IReadOnlyList<int> FleetVersions(CalibrationWorkspace workspace) =>
        [.. workspace.Registry.List().Where(v => v.Manifest.Trigger.Source == HeadTriggerSource.Fleet).Select(v => v.Version)];

    /// <summary>Stops the training at its first progress report until released (synchronous, unlike Progress&lt;T&gt;).</summary>
    private sealed class BlockingProgress(SemaphoreSlim reached, SemaphoreSlim release) : IProgress<TrainingProgress>
    {
        private int _reported;

        public void Report(TrainingProgress value)
        {
            if (Interlocked.Exchange(ref _reported, 1) == 0)
            {
                reached.Release();
                release.Wait();
            }
        }
    }
}
