using System.Collections.Concurrent;
using System.Text.Json;
using DeviceHost.Fleet;
using EdgeRuntime.Fleet;

namespace DeviceHost.Cli.Fleet;

/// <summary>
/// Collects the devices' public keys (from their retained state) and their signed moments reports for one request
/// id, verifying each report with the key of the device whose topic it came on. Refused reports are kept with why.
/// </summary>
public sealed class FleetMomentsCollector
{
    private readonly ConcurrentDictionary<string, string> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Request, string Device), MomentsReport> _reports = new();
    private readonly ConcurrentQueue<string> _refusals = new();
    private readonly SemaphoreSlim _arrived = new(0);

    public FleetMomentsCollector(IFleetBroker broker)
    {
        ArgumentNullException.ThrowIfNull(broker);
        broker.MessageReceived += message =>
        {
            Receive(message);
            _arrived.Release();
            return Task.CompletedTask;
        };
    }

    public IReadOnlyList<string> Refusals => [.. _refusals];

    public IReadOnlyCollection<string> DevicesWithKeys => [.. _keys.Keys];

    public IReadOnlyList<MomentsReport> Reports(string requestId) =>
        [.. _reports.Where(r => r.Key.Request == requestId).OrderBy(r => r.Key.Device, StringComparer.Ordinal).Select(r => r.Value)];

    public Task WaitForKeysAsync(int count, TimeSpan timeout, CancellationToken cancellationToken) => WaitAsync(() => _keys.Count >= count, timeout, cancellationToken);

    public Task WaitForReportsAsync(string requestId, int count, TimeSpan timeout, CancellationToken cancellationToken) =>
        WaitAsync(() => Reports(requestId).Count >= count, timeout, cancellationToken);

    private void Receive(FleetInbound message)
    {
        if (Topics.DeviceOf(message.Topic) is not { } device || message.Payload.IsEmpty)
        {
            return;
        }

        if (message.Topic.EndsWith("/state", StringComparison.Ordinal))
        {
            try
            {
                if (JsonSerializer.Deserialize<FleetState>(message.Payload.Span, FleetJson.Options)?.MomentsPublicKey is { Length: > 0 } pem)
                {
                    _keys[device] = pem;
                }
            }
            catch (JsonException)
            {
                // Not a state of this schema: that device cannot take part.
            }

            return;
        }

        if (!message.Topic.EndsWith("/moments", StringComparison.Ordinal))
        {
            return;
        }

        try
        {
            if (!_keys.TryGetValue(device, out var pem))
            {
                throw new FleetMessageRefusedException(FleetRefusal.BadSignature, "no public key known for this device (no retained state)");
            }

            using var key = FleetKeys.FromPublicPem(pem);
            var report = FleetMoments.Open(message.Payload, key);
            if (report.DeviceId != device)
            {
                throw new FleetMessageRefusedException(FleetRefusal.Invalid, $"the report names device {report.DeviceId}");
            }

            _reports[(report.RequestId, device)] = report;
        }
        catch (FleetMessageRefusedException ex)
        {
            _refusals.Enqueue($"{device}: {ex.Reason}: {ex.Message}");
        }
    }

    private async Task WaitAsync(Func<bool> done, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!done())
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                return;
            }

            await _arrived.WaitAsync(left < TimeSpan.FromMilliseconds(250) ? left : TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
        }
    }
}
