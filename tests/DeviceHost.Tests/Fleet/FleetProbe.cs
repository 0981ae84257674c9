using System.Runtime.CompilerServices;
using System.Runtime.Versioning;
using System.Text;
using System.Text.Json;
using DeviceHost.Fleet;

namespace DeviceHost.Tests.Fleet;

/// <summary>
/// A test's own MQTT client on the real broker (the real <see cref="MqttFleetBroker"/>), recording every message it
/// receives, in arrival order. With a persistent session it also receives what was published while it was away.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class FleetProbe : IAsyncDisposable
{
    private readonly List<FleetInbound> _messages = [];
    private readonly SemaphoreSlim _arrived = new(0);

    private FleetProbe(MqttFleetBroker broker) => Broker = broker;

    public MqttFleetBroker Broker { get; }

    public IReadOnlyList<FleetInbound> Messages
    {
        get
        {
            lock (_messages)
            {
                return [.. _messages];
            }
        }
    }

    public static async Task<FleetProbe> ConnectAsync(MosquittoBroker mosquitto, string user, string? clientId = null, bool persistent = false, params string[] filters)
    {
        var broker = new MqttFleetBroker(new BrokerSettings
        {
            Broker = new Uri(mosquitto.Uri),
            ClientId = clientId ?? "probe-" + Guid.NewGuid().ToString("N")[..8],
            UserName = user,
            Password = MosquittoBroker.Password(user),
            CleanStart = !persistent,
            SessionExpiry = persistent ? TimeSpan.FromHours(1) : TimeSpan.Zero,
        }, 64L * 1024 * 1024);
        var probe = new FleetProbe(broker);
        broker.MessageReceived += m =>
        {
            lock (probe._messages)
            {
                probe._messages.Add(m);
            }

            probe._arrived.Release();
            return Task.CompletedTask;
        };
        await broker.ConnectAsync(CancellationToken.None);
        if (filters.Length > 0)
        {
            await broker.SubscribeAsync(filters, CancellationToken.None);
        }

        return probe;
    }

    /// <summary>Reconnects after a broker restart (same client id, so a persistent session resumes).</summary>
    public async Task ReconnectAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                await Broker.ConnectAsync(CancellationToken.None);
                return;
            }
            catch (FleetBrokerException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    /// <summary>Messages on <paramref name="topic"/> parsed as JSON, in arrival order.</summary>
    public IReadOnlyList<JsonElement> Json(string topic) =>
        [.. Messages.Where(m => m.Topic == topic && !m.Payload.IsEmpty).Select(m => JsonDocument.Parse(m.Payload).RootElement.Clone())];

    public string? LastText(string topic) => Messages.LastOrDefault(m => m.Topic == topic) is { } m ? Encoding.UTF8.GetString(m.Payload.Span) : null;

    /// <summary>Waits until <paramref name="condition"/> holds over the messages so far; fails naming <paramref name="what"/>.</summary>
    public async Task<T> WaitForAsync<T>(Func<IReadOnlyList<FleetInbound>, T?> condition, string what, TimeSpan timeout)
        where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (condition(Messages) is { } found)
            {
                return found;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"Timed out after {timeout} waiting for {what}; received: {string.Join(", ", Messages.Select(m => m.Topic).Distinct())}");
            }

            await _arrived.WaitAsync(left < TimeSpan.FromMilliseconds(500) ? left : TimeSpan.FromMilliseconds(500));
        }
    }

    /// <summary>Waits for the outcome of <paramref name="bundleId"/> from <paramref name="device"/>.</summary>
    public Task<JsonElement?> OutcomeAsync(string site, string device, string bundleId, TimeSpan timeout) =>
        WaitForOutcome(site, device, bundleId, timeout);

    public async ValueTask DisposeAsync()
    {
        await Broker.DisconnectAsync(CancellationToken.None);
        await Broker.DisposeAsync();
        _arrived.Dispose();
    }

    private async Task<JsonElement?> WaitForOutcome(string site, string device, string bundleId, TimeSpan timeout)
    {
        var box = await WaitForAsync(_ => Json(Topics.Outcomes(site, device)).Where(o => o.GetProperty("outcome").GetProperty("bundleId").GetString() == bundleId)
            .Select(o => new StrongBox<JsonElement>(o.GetProperty("outcome"))).FirstOrDefault(), $"{device}'s outcome of bundle {bundleId}", timeout);
        return box.Value;
    }
}
