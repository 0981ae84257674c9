using System.Collections.Concurrent;
using System.Text.Json;
using DeviceHost.Fleet;

namespace DeviceHost.Cli.Fleet;

/// <summary>Collects the devices' outcomes for one bundle id from edgeruntime/&lt;site&gt;/+/outcomes.</summary>
public sealed class FleetOutcomeCollector
{
    private readonly string _bundleId;
    private readonly string? _messageSha256;
    private readonly ConcurrentDictionary<string, FleetOutcome> _outcomes = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _arrived = new(0);

    /// <param name="messageSha256">SHA-256 of the published bytes: matches refusals made before the id could be read.</param>
    public FleetOutcomeCollector(IFleetBroker broker, string bundleId, string? messageSha256 = null)
    {
        ArgumentNullException.ThrowIfNull(broker);
        _bundleId = bundleId;
        _messageSha256 = messageSha256;
        broker.MessageReceived += message =>
        {
            try
            {
                var outcome = JsonSerializer.Deserialize<FleetOutcome>(message.Payload.Span, FleetJson.Options);
                if (outcome is not null && (outcome.Outcome.BundleId == _bundleId || (_messageSha256 is not null && outcome.Outcome.MessageSha256 == _messageSha256))
                    && _outcomes.TryAdd(outcome.DeviceId, outcome))
                {
                    _arrived.Release();
                }
            }
            catch (JsonException)
            {
                // Not an outcome of this schema: not ours to judge.
            }

            return Task.CompletedTask;
        };
    }

    public IReadOnlyList<FleetOutcome> Outcomes => [.. _outcomes.Values.OrderBy(o => o.DeviceId, StringComparer.Ordinal)];

    /// <summary>Waits until <paramref name="count"/> devices answered or <paramref name="timeout"/> passed.</summary>
    public async Task WaitAsync(int count, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (_outcomes.Count < count)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _arrived.WaitAsync(left, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }
}
