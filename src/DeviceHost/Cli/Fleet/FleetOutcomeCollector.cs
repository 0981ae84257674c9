using System.Collections.Concurrent;
using System.Text.Json;
using DeviceHost.Fleet;

namespace DeviceHost.Cli.Fleet;

/// <summary>Collects the devices' outcomes for one bundle id from edgeruntime/&lt;site&gt;/+/outcomes.</summary>
public sealed class FleetOutcomeCollector
{
    private readonly string _bundleId;
    private readonly ConcurrentDictionary<string, FleetOutcome> _outcomes = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _arrived = new(0);

    public FleetOutcomeCollector(IFleetBroker broker, string bundleId)
    {
        ArgumentNullException.ThrowIfNull(broker);
        _bundleId = bundleId;
        broker.MessageReceived += message =>
        {
            try
            {
                var outcome = JsonSerializer.Deserialize<FleetOutcome>(message.Payload.Span, FleetJson.Options);
                if (outcome is not null && outcome.Outcome.BundleId == _bundleId && _outcomes.TryAdd(outcome.DeviceId, outcome))
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
