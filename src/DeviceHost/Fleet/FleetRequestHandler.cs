using System.Security.Cryptography;
using DeviceHost.Calibration;
using EdgeRuntime.Fleet;

namespace DeviceHost.Fleet;

/// <summary>
/// Answers the aggregator's requests on edgeruntime/&lt;site&gt;/fleet/requests: the statistics of this device's
/// samples (never an image), signed with the device's own key, queued for edgeruntime/&lt;site&gt;/&lt;device&gt;/moments.
/// Requests must be signed with the fleet key (the one that signs head bundles): a forged, unsigned or repeated
/// request is refused, logged and answered with nothing. Borrows the fleet public key.
/// </summary>
public sealed class FleetRequestHandler : IFleetInboundHandler
{
    private const int RememberedRequests = 64;
    private readonly CalibrationService _calibration;
    private readonly FleetOptions _options;
    private readonly FleetOutbox _outbox;
    private readonly FleetMomentsKey _key;
    private readonly ILogger<FleetRequestHandler> _logger;
    private readonly ECDsa? _fleetKey;
    private readonly string _topic;
    private readonly Queue<string> _answered = new();

    public FleetRequestHandler(CalibrationService calibration, FleetOptions options, FleetPublicKey fleetKey, FleetOutbox outbox, FleetMomentsKey key, ILogger<FleetRequestHandler> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        (_calibration, _options, _outbox, _key, _logger) = (calibration, options, outbox, key, logger);
        _topic = Topics.Requests(options.Site!);
        ArgumentNullException.ThrowIfNull(fleetKey);
        _fleetKey = fleetKey.Key;
    }

    /// <summary>Nothing without the fleet public key: an unverifiable request must not be answered.</summary>
    public IReadOnlyList<string> TopicFilters => _fleetKey is null ? [] : [_topic];

    public bool Handles(string topic) => string.Equals(topic, _topic, StringComparison.Ordinal);

    public async Task HandleAsync(FleetInbound message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_fleetKey is null)
        {
            return;
        }

        MomentsRequest request;
        try
        {
            request = MomentsRequestCodec.Open(message.Payload, _fleetKey);
        }
        catch (FleetMessageRefusedException refused)
        {
            _logger.LogWarning("Fleet request refused ({Refusal}): {Reason}", refused.Reason, refused.Message);
            return;
        }

        lock (_answered)
        {
            // A redelivery (QoS 1) or a replay: the answer is already queued.
            if (_answered.Contains(request.RequestId, StringComparer.Ordinal))
            {
                _logger.LogInformation("Fleet request {RequestId} was answered before; ignored", request.RequestId);
                return;
            }
        }

        var report = await Task.Run(() => FleetMoments.Answer(_calibration.Workspace, request, _options.DeviceId!), cancellationToken).ConfigureAwait(false);
        if (!_outbox.TryEnqueue(Topics.Moments(_options.Site!, _options.DeviceId!), FleetMoments.Seal(report, _key.Key), 1, retain: false))
        {
            _logger.LogWarning("Fleet outbox full: moments for request {RequestId} dropped", request.RequestId);
            return;
        }

        lock (_answered)
        {
            _answered.Enqueue(request.RequestId);
            while (_answered.Count > RememberedRequests)
            {
                _answered.Dequeue();
            }
        }

        _logger.LogInformation("Moments ({Stage}) of {Samples} samples in {Classes} classes queued for request {RequestId}",
            request.Stage, report.Counts.Sum(), report.Labels.Count, request.RequestId);
    }

}
