using System.Text.Json;
using DeviceHost.Api;
using EdgeRuntime.Fleet;

namespace DeviceHost.Fleet;

/// <summary>
/// Publishes what the fleet sees of this device: the retained state (on change and every
/// <see cref="FleetOptions.StateInterval"/>), periodic metrics, and events found by comparing successive /status
/// snapshots (head activated, training failed, source down or back, recalibration recommended). Reads /status
/// through <see cref="StatusReport"/>, the one place that describes the device. Faults are logged, never fatal.
/// </summary>
public sealed class FleetTelemetry(FleetConnection connection, StatusReport status, FleetOptions options, FleetBundleHandler bundles,
    FleetMomentsKey? momentsKey, TimeProvider time, ILogger<FleetTelemetry> logger) : BackgroundService
{
    private readonly string _site = options.Site!;
    private readonly string _device = options.DeviceId!;
    private StatusSnapshot? _previous;
    private byte[]? _lastState;
    private DateTimeOffset _lastStateAt;
    private DateTimeOffset _lastMetricsAt;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        bundles.Decided += (_, outcome) => OnBundleDecided(outcome);
        using var timer = new PeriodicTimer(options.EventPollInterval, time);
        do
        {
            try
            {
                await TickAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Fleet telemetry tick failed; trying again at the next one");
            }
        }
        while (await WaitAsync(timer, stoppingToken).ConfigureAwait(false));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken token)
    {
        try
        {
            return await timer.WaitForNextTickAsync(token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var current = status.Build();
        var snapshot = StatusSnapshot.From(current);
        foreach (var e in snapshot.EventsSince(_previous))
        {
            Enqueue(e.Kind, e.Message, e.Data, now);
        }

        _previous = snapshot;
        var state = FleetJson.Serialize(BuildState(current, snapshot, now) with { UpdatedUtc = default });
        if (_lastState is null || !state.AsSpan().SequenceEqual(_lastState) || now - _lastStateAt >= options.StateInterval)
        {
            _lastState = state;
            _lastStateAt = now;
            connection.SetState(Topics.State(_site, _device), FleetJson.Serialize(BuildState(current, snapshot, now)));
        }

        if (now - _lastMetricsAt >= options.MetricsInterval)
        {
            _lastMetricsAt = now;
            await connection.TryPublishVolatileAsync(Topics.Metrics(_site, _device), FleetJson.Serialize(BuildMetrics(current, now)), cancellationToken).ConfigureAwait(false);
        }
    }

    private void OnBundleDecided(BundleOutcome outcome)
    {
        if (!outcome.Accepted)
        {
            Enqueue(FleetEvent.BundleRefused, $"Head bundle {outcome.BundleId} refused ({outcome.Refusal}): {outcome.Reason}", JsonSerializer.SerializeToElement(outcome, FleetJson.Options), time.GetUtcNow());
        }

        // Force the next tick to republish the state with the new last bundle.
        _lastState = null;
    }

    private void Enqueue(string kind, string message, JsonElement? data, DateTimeOffset now) =>
        connection.Enqueue(Topics.Events(_site, _device), FleetJson.Serialize(new FleetEvent
        {
            Id = Guid.NewGuid().ToString("N"),
            DeviceId = _device,
            Site = _site,
            AtUtc = now,
            Kind = kind,
            Message = message,
            Data = data,
        }));

    private FleetState BuildState(DeviceStatus current, StatusSnapshot snapshot, DateTimeOffset now)
    {
        var outbox = connection.Outbox;
        return new FleetState
        {
            DeviceId = _device,
            Site = _site,
            UpdatedUtc = now,
            SoftwareVersion = current.Version,
            Health = snapshot.Health,
            Provider = current.Backbone?.Provider.ToString(),
            Precision = snapshot.Precision,
            BackboneHash = current.Backbone?.BackboneHash,
            ActiveHead = snapshot.HeadVersion is { } v ? new FleetHeadState(v, snapshot.HeadLabels, snapshot.HeadAccuracy, snapshot.HeadTrigger) : null,
            Drift = snapshot.Drift,
            Samples = current.Samples?.Total,
            Source = JsonNamingPolicy.CamelCase.ConvertName(current.Source.State.ToString()),
            Outbox = new FleetOutboxState(outbox.Count, outbox.Bytes, outbox.MaxMessages, outbox.MaxBytes, outbox.Dropped),
            LastBundle = bundles.LastOutcome,
            MomentsPublicKey = momentsKey?.PublicPem,
            Errors = snapshot.Errors,
        };
    }

    private FleetMetrics BuildMetrics(DeviceStatus current, DateTimeOffset now) => new()
    {
        DeviceId = _device,
        AtUtc = now,
        UptimeSeconds = current.UptimeSeconds,
        Fps = current.Pipeline.Fps,
        FramesProcessed = current.Pipeline.FramesProcessed,
        FramesDropped = current.Pipeline.FramesDropped,
        FailedFrames = current.Pipeline.FailedFrames,
        LatencyP50Ms = current.Pipeline.LatencyMs.P50,
        LatencyP95Ms = current.Pipeline.LatencyMs.P95,
        ResidentMb = current.Memory.ResidentMb,
        OutboxPending = connection.Outbox.Count,
    };
}
