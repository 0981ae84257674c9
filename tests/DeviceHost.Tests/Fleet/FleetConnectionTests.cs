using System.Runtime.Versioning;
using System.Text;
using DeviceHost.Fleet;
using EdgeRuntime.Fleet;
using EdgeRuntime.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace DeviceHost.Tests.Fleet;

/// <summary>The connection loop against <see cref="FakeFleetBroker"/>: outbox order, reconnects, refusals, handler faults.</summary>
[SupportedOSPlatform("linux")]
public sealed class FleetConnectionTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly TestDirectory _data = new("fleet-connection");
    private readonly FakeFleetBroker _broker = new();
    private readonly FleetOptions _options = new()
    {
        Enabled = true,
        Broker = "mqtt://fake",
        DeviceId = "dev-1",
        Site = "site",
        InitialBackoff = TimeSpan.FromMilliseconds(5),
        MaxBackoff = TimeSpan.FromMilliseconds(20),
    };

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Messages_queued_while_the_broker_is_away_are_delivered_in_order_once_it_is_back()
    {
        var outbox = Outbox();
        using var connection = Connection(outbox);
        await connection.StartAsync(CancellationToken.None);
        for (int i = 0; i < 50; i++)
        {
            Assert.True(connection.Enqueue("edgeruntime/site/dev-1/events", Encoding.UTF8.GetBytes($"e{i}")));
        }

        Assert.Empty(_broker.Published);
        _broker.GoUp();
        await WaitUntilAsync(() => outbox.Count == 0);
        var events = _broker.Published.Where(p => p.Topic.EndsWith("/events", StringComparison.Ordinal)).Select(p => Encoding.UTF8.GetString(p.Payload)).ToList();
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"e{i}"), events);
        Assert.Contains(_broker.Published, p => p.Topic == Topics.Availability("site", "dev-1") && p.Retain && Encoding.UTF8.GetString(p.Payload) == "online");
        await connection.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_publish_cut_off_by_a_lost_connection_is_sent_again_after_reconnecting_and_nothing_is_skipped()
    {
        var outbox = Outbox();
        for (int i = 0; i < 5; i++)
        {
            outbox.TryEnqueue("t/e", [(byte)i], 1, false);
        }

        // Attempt 1 is "online"; attempt 4 is the third outbox message.
        _broker.DropConnectionOnPublish(4);
        _broker.GoUp();
        using var connection = Connection(outbox);
        await connection.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => outbox.Count == 0);
        Assert.Equal([0, 1, 2, 3, 4], _broker.Published.Where(p => p.Topic == "t/e").Select(p => (int)p.Payload[0]));
        Assert.Equal(2, _broker.Connects);
        await connection.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task The_latest_state_is_republished_retained_on_every_connection()
    {
        _broker.GoUp();
        using var connection = Connection(Outbox());
        await connection.StartAsync(CancellationToken.None);
        connection.SetState(Topics.State("site", "dev-1"), "{\"v\":1}"u8.ToArray());
        connection.SetState(Topics.State("site", "dev-1"), "{\"v\":2}"u8.ToArray());
        await _broker.WaitForPublishAsync(Topics.State("site", "dev-1"), Patience);
        _broker.GoDown();
        _broker.GoUp();
        await WaitUntilAsync(() => _broker.Connects == 2 && _broker.Published.Count(p => p.Topic == Topics.State("site", "dev-1")) >= 2);
        var states = _broker.Published.Where(p => p.Topic == Topics.State("site", "dev-1")).ToList();
        Assert.All(states, s => Assert.True(s.Retain));
        Assert.Equal("{\"v\":2}", Encoding.UTF8.GetString(states[^1].Payload));
        await connection.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_message_the_broker_refuses_is_counted_and_dropped_and_the_rest_still_flow()
    {
        var outbox = Outbox();
        outbox.TryEnqueue("t/forbidden", [1], 1, false);
        outbox.TryEnqueue("t/ok", [2], 1, false);
        _broker.RefusedTopic = "t/forbidden";
        _broker.GoUp();
        using var connection = Connection(outbox);
        await connection.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => outbox.Count == 0);
        Assert.Equal(1, connection.Refused);
        Assert.Contains(_broker.Published, p => p.Topic == "t/ok");
        await connection.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_handler_that_throws_does_not_stop_the_next_message_from_being_handled()
    {
        var handler = new CountingHandler();
        _broker.GoUp();
        using var connection = Connection(Outbox(), handler);
        await connection.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => _broker.Subscriptions.Count > 0);
        Assert.Equal(["edgeruntime/site/fleet/requests"], _broker.Subscriptions);
        await _broker.DeliverAsync("edgeruntime/site/fleet/requests", "boom"u8.ToArray());
        await _broker.DeliverAsync("edgeruntime/site/fleet/requests", "fine"u8.ToArray());
        Assert.Equal(2, handler.Calls);
        await connection.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_full_outbox_refuses_and_counts_instead_of_growing_without_bound()
    {
        using var connection = Connection(new FleetOutbox(_data.Combine("small"), 2, 1 << 20));
        Assert.True(connection.Enqueue("t", [1]));
        Assert.True(connection.Enqueue("t", [2]));
        Assert.False(connection.Enqueue("t", [3]));
        Assert.Equal(1, connection.Outbox.Dropped);
        await Task.CompletedTask;
    }

    private FleetOutbox Outbox() => new(_data.Combine("outbox"), 1000, 1 << 24);

    private FleetConnection Connection(FleetOutbox outbox, params IFleetInboundHandler[] handlers) =>
        new(_broker, outbox, _options, handlers, TimeProvider.System, NullLogger<FleetConnection>.Instance);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached in time");
            await Task.Delay(10);
        }
    }

    private sealed class CountingHandler : IFleetInboundHandler
    {
        public int Calls { get; private set; }

        public IReadOnlyList<string> TopicFilters => ["edgeruntime/site/fleet/requests"];

        public bool Handles(string topic) => topic == TopicFilters[0];

        public Task HandleAsync(FleetInbound message, CancellationToken cancellationToken)
        {
            Calls++;
            return Encoding.UTF8.GetString(message.Payload.Span) == "boom" ? throw new InvalidOperationException("bad message") : Task.CompletedTask;
        }
    }
}
