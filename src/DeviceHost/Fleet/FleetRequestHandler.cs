using System.Text.Json;
using DeviceHost.Calibration;
using EdgeRuntime.Fleet;

namespace DeviceHost.Fleet;

/// <summary>
/// Answers the aggregator's requests on edgeruntime/&lt;site&gt;/fleet/requests: the statistics of this device's
/// samples (never an image), signed with the device's own key, queued for edgeruntime/&lt;site&gt;/&lt;device&gt;/moments.
/// Only the operator may write the requests topic (broker ACL), so requests are not signed themselves.
/// </summary>
public sealed class FleetRequestHandler(CalibrationService calibration, FleetOptions options, FleetOutbox outbox, FleetMomentsKey key, ILogger<FleetRequestHandler> logger)
    : IFleetInboundHandler
{
    private readonly string _topic = Topics.Requests(options.Site!);

    public IReadOnlyList<string> TopicFilters => [_topic];

    public bool Handles(string topic) => string.Equals(topic, _topic, StringComparison.Ordinal);

    public async Task HandleAsync(FleetInbound message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        MomentsRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<MomentsRequest>(message.Payload.Span, FleetJson.Options);
        }
        catch (JsonException ex)
        {
            logger.LogWarning("Fleet request ignored: not a moments request ({Reason})", ex.Message);
            return;
        }

        if (request is null || request.Schema != 1)
        {
            logger.LogWarning("Fleet request ignored: schema {Schema} is not 1", request?.Schema);
            return;
        }

        var report = await Task.Run(() => FleetMoments.Answer(calibration.Workspace, request, options.DeviceId!), cancellationToken).ConfigureAwait(false);
        if (!outbox.TryEnqueue(Topics.Moments(options.Site!, options.DeviceId!), FleetMoments.Seal(report, key.Key), 1, retain: false))
        {
            logger.LogWarning("Fleet outbox full: moments for request {RequestId} dropped", request.RequestId);
            return;
        }

        logger.LogInformation("Moments ({Stage}) of {Samples} samples in {Classes} classes queued for request {RequestId}",
            request.Stage, report.Counts.Sum(), report.Labels.Count, request.RequestId);
    }
}
