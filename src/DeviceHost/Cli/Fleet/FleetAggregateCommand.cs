using System.ComponentModel;
using System.Globalization;
using System.Security.Cryptography;
using DeviceHost.Fleet;
using EdgeRuntime.FewShot;
using EdgeRuntime.Fleet;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DeviceHost.Cli.Fleet;

/// <summary>
/// <c>edgeruntime fleet aggregate --key K --expect N</c>: asks the site's devices for the statistics of their samples
/// (two rounds: reference mean, then class moments), pools them into one shrinkage discriminant head over the union
/// of their classes, signs it and publishes it as a head bundle; every device then gates it on its own samples.
/// </summary>
[Description("Pool the devices' signed class moments into one discriminant head (no image leaves a device) and publish it.")]
public sealed class FleetAggregateCommand : AsyncCommand<FleetAggregateSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, FleetAggregateSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.KeyFile is not { Length: > 0 } keyFile)
        {
            throw new InvalidOperationException("--key is required: the fleet private key from `edgeruntime fleet keygen`.");
        }

        if (settings.Expect < 1)
        {
            throw new InvalidOperationException("--expect N is required: how many devices' moments to pool.");
        }

        var shrinkage = settings.Shrinkage.Equals("oas", StringComparison.OrdinalIgnoreCase) ? Shrinkage.Oas
            : double.TryParse(settings.Shrinkage, NumberStyles.Float, CultureInfo.InvariantCulture, out var fixedValue) ? Shrinkage.Fixed(fixedValue)
            : throw new InvalidOperationException($"--shrinkage '{settings.Shrinkage}' is neither 'oas' nor a number in (0, 1].");
        var options = FleetCliBroker.Options(settings);
        var site = options.Site!;
        var timeout = TimeSpan.FromSeconds(settings.TimeoutSeconds);
        using var key = FleetKeys.Load(keyFile);
        await using var broker = await FleetCliBroker.ConnectAsync(options, timeout, 2 * FleetMoments.DefaultMaxBytes, cancellationToken).ConfigureAwait(false);
        var collector = new FleetMomentsCollector(broker);
        await broker.SubscribeAsync([Topics.AllDevices(site, "state"), Topics.AllDevices(site, "moments")], cancellationToken).ConfigureAwait(false);
        await collector.WaitForKeysAsync(settings.Expect, timeout, cancellationToken).ConfigureAwait(false);
        if (collector.DevicesWithKeys.Count < settings.Expect)
        {
            throw new InvalidOperationException($"Only {collector.DevicesWithKeys.Count} of {settings.Expect} devices have published a state with a moments key.");
        }

        var means = await AskAsync(broker, collector, site, key, new MomentsRequest { RequestId = NewId(), Stage = MomentsRequest.ReferenceMeanStage, Transform = settings.Transform }, settings.Expect, timeout, cancellationToken).ConfigureAwait(false);
        var mean = FleetAggregator.PoolReferenceMean(means);
        var reports = await AskAsync(broker, collector, site, key, new MomentsRequest { RequestId = NewId(), Stage = MomentsRequest.MomentsStage, Transform = settings.Transform, ReferenceMean = mean }, settings.Expect, timeout, cancellationToken).ConfigureAwait(false);
        var (moments, labels) = FleetAggregator.Pool(reports);
        var head = FleetAggregator.Fit(moments, shrinkage);
        var now = DateTimeOffset.UtcNow;
        var bundle = HeadBundleCodec.FromFewShotHead(head, labels, reports[0].BackboneHash, 1.0 / labels.Count, PublisherSequence.Next(keyFile, now), FleetKeys.KeyId(key),
            $"aggregate of {string.Join(", ", reports.Select(r => r.DeviceId))}", now, settings.Note);
        var sealedBundle = HeadBundleCodec.Seal(bundle, key);
        if (await broker.PublishAsync(Topics.Heads(site), sealedBundle, 1, retain: true, cancellationToken).ConfigureAwait(false) is { } refusal)
        {
            throw new InvalidOperationException($"The broker refused the pooled bundle: {refusal}.");
        }

        await broker.DisconnectAsync(cancellationToken).ConfigureAwait(false);
        var devices = reports.Select(r => new { r.DeviceId, samples = r.Counts.Sum(), classes = r.Labels }).ToList();
        if (settings.Json)
        {
            CliOutput.WriteJson(new { bundle.BundleId, bundle.Sequence, labels, samples = moments.TotalCount, devices, refusals = collector.Refusals }, keepNulls: true);
            return 0;
        }

        var console = CliOutput.Stdout();
        console.MarkupLine(Markup.Escape($"Published pooled head {bundle.BundleId} (sequence {bundle.Sequence}): {labels.Count} classes ({string.Join(", ", labels)}) from {moments.TotalCount} samples on {reports.Count} devices."));
        foreach (var d in devices)
        {
            console.MarkupLine(Markup.Escape($"  {d.DeviceId}: {d.samples} samples of {string.Join(", ", d.classes)}"));
        }

        foreach (var r in collector.Refusals)
        {
            console.MarkupLine(Markup.Escape("  refused: " + r));
        }

        return 0;
    }

    private static async Task<IReadOnlyList<MomentsReport>> AskAsync(IFleetBroker broker, FleetMomentsCollector collector, string site, ECDsa key, MomentsRequest request, int expect, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (await broker.PublishAsync(Topics.Requests(site), MomentsRequestCodec.Seal(request, key), 1, retain: false, cancellationToken).ConfigureAwait(false) is { } refusal)
        {
            throw new InvalidOperationException($"The broker refused the request: {refusal}.");
        }

        await collector.WaitForReportsAsync(request.RequestId, expect, timeout, cancellationToken).ConfigureAwait(false);
        var reports = collector.Reports(request.RequestId);
        return reports.Count >= expect ? reports
            : throw new InvalidOperationException($"Only {reports.Count} of {expect} devices answered the {request.Stage} request within {timeout.TotalSeconds:0} s" +
                (collector.Refusals.Count > 0 ? "; refused: " + string.Join("; ", collector.Refusals) : "."));
    }

    private static string NewId() => Guid.NewGuid().ToString("N");
}
