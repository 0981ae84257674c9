using System.ComponentModel;
using System.Globalization;
using DeviceHost.Fleet;
using EdgeRuntime.Fleet;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DeviceHost.Cli.Fleet;

/// <summary>
/// <c>edgeruntime fleet publish-head VERSION --key K</c>: packs a stored head into a signed bundle and publishes it,
/// retained, to edgeruntime/&lt;site&gt;/fleet/heads; with --expect, waits for the devices' outcomes.
/// </summary>
[Description("Sign a stored head version and publish it to the site's devices; each one gates it on its own samples.")]
public sealed class FleetPublishHeadCommand : AsyncCommand<FleetPublishSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, FleetPublishSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!int.TryParse(settings.Version.TrimStart('v', 'V'), NumberStyles.None, CultureInfo.InvariantCulture, out int version) || version <= 0)
        {
            throw new InvalidOperationException($"'{settings.Version}' is not a head version (7 or v7).");
        }

        if (settings.KeyFile is not { Length: > 0 } keyFile)
        {
            throw new InvalidOperationException("--key is required: the fleet private key from `edgeruntime fleet keygen`.");
        }

        var options = FleetCliBroker.Options(settings);
        var data = Composition.DataDirectory.Resolve(settings.DataDirectory, Composition.DeviceConfiguration.Build(settings.ConfigFile)[Composition.DataDirectory.ConfigurationKey]);
        using var key = FleetKeys.Load(keyFile);
        var now = DateTimeOffset.UtcNow;
        var bundle = HeadBundleCodec.FromDataDirectory(data, version, PublisherSequence.Next(keyFile, now), FleetKeys.KeyId(key),
            $"{options.DeviceId ?? Environment.MachineName} v{version}", now, settings.Note);
        var sealedBundle = HeadBundleCodec.Seal(bundle, key);
        if (settings.OutFile is { Length: > 0 } outFile)
        {
            await File.WriteAllBytesAsync(outFile, sealedBundle, cancellationToken).ConfigureAwait(false);
        }

        var timeout = TimeSpan.FromSeconds(settings.TimeoutSeconds);
        await using var broker = await FleetCliBroker.ConnectAsync(options, timeout, 1024 * 1024, cancellationToken).ConfigureAwait(false);
        var collector = new FleetOutcomeCollector(broker, bundle.BundleId, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(sealedBundle)));
        if (settings.Expect > 0)
        {
            await broker.SubscribeAsync([Topics.AllDevices(options.Site!, "outcomes")], cancellationToken).ConfigureAwait(false);
        }

        if (await broker.PublishAsync(Topics.Heads(options.Site!), sealedBundle, 1, retain: true, cancellationToken).ConfigureAwait(false) is { } refusal)
        {
            throw new InvalidOperationException($"The broker refused the bundle for {Topics.Heads(options.Site!)}: {refusal} (does this user may publish there?).");
        }

        if (settings.Expect > 0)
        {
            await collector.WaitAsync(settings.Expect, timeout, cancellationToken).ConfigureAwait(false);
        }

        await broker.DisconnectAsync(cancellationToken).ConfigureAwait(false);
        Print(settings, bundle, sealedBundle.Length, collector.Outcomes);
        return settings.Expect > 0 && collector.Outcomes.Count < settings.Expect ? 2 : 0;
    }

    private static void Print(FleetPublishSettings settings, HeadBundle bundle, int bytes, IReadOnlyList<FleetOutcome> outcomes)
    {
        if (settings.Json)
        {
            CliOutput.WriteJson(new { bundle.BundleId, bundle.Sequence, bundle.KeyId, bytes, labels = bundle.Labels, outcomes }, keepNulls: true);
            return;
        }

        var console = CliOutput.Stdout();
        console.MarkupLine(Markup.Escape($"Published bundle {bundle.BundleId} (sequence {bundle.Sequence}, key {bundle.KeyId}, {bytes} bytes, classes {string.Join(", ", bundle.Labels)})."));
        if (settings.Expect == 0)
        {
            return;
        }

        var table = new Table().AddColumns("Device", "Outcome", "Version", "Reason");
        foreach (var o in outcomes)
        {
            var what = !o.Outcome.Accepted ? $"refused ({o.Outcome.Refusal})" : o.Outcome.Activated ? "activated" : "kept";
            table.AddRow(Markup.Escape(o.DeviceId), what, o.Outcome.Version?.ToString(CultureInfo.InvariantCulture) ?? "-", Markup.Escape(o.Outcome.Reason));
        }

        console.Write(table);
        if (outcomes.Count < settings.Expect)
        {
            console.MarkupLine(Markup.Escape($"Only {outcomes.Count} of {settings.Expect} devices answered within {settings.TimeoutSeconds} s."));
        }
    }
}
