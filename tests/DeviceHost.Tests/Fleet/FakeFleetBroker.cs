using System.Runtime.Versioning;
using System.Threading.Channels;
using DeviceHost.Fleet;

namespace DeviceHost.Tests.Fleet;

/// <summary>
/// A hand-written broker for connection tests: it is up or down as the test says, records every accepted publish in
/// order, can drop the connection on a chosen publish, refuse a topic, and deliver inbound messages.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class FakeFleetBroker : IFleetBroker
{
    private readonly Lock _gate = new();
    private readonly List<(string Topic, byte[] Payload, int Qos, bool Retain)> _published = [];
    private readonly Channel<string> _publishes = Channel.CreateUnbounded<string>();
    private bool _up;
    private bool _connected;
    private int _dropOnPublish = -1;
    private int _publishCount;

    public bool IsConnected
    {
        get
        {
            lock (_gate)
            {
                return _connected;
            }
        }
    }

    public int Connects { get; private set; }

    public string? RefusedTopic { get; set; }

    public IReadOnlyList<string> Subscriptions { get; private set; } = [];

    public event EventHandler<string>? Disconnected;

    public event Func<FleetInbound, Task>? MessageReceived;

    public IReadOnlyList<(string Topic, byte[] Payload, int Qos, bool Retain)> Published
    {
        get
        {
            lock (_gate)
            {
                return [.. _published];
            }
        }
    }

    /// <summary>Lets connections succeed from now on.</summary>
    public void GoUp()
    {
        lock (_gate)
        {
            _up = true;
        }
    }

    /// <summary>Drops the connection (the device sees it lost) and refuses connections until <see cref="GoUp"/>.</summary>
    public void GoDown()
    {
        lock (_gate)
        {
            _up = false;
            _connected = false;
        }

        Disconnected?.Invoke(this, "test took the broker down");
    }

    /// <summary>The publish attempt number <paramref name="attempt"/> (counting from 1) loses the connection instead of arriving.</summary>
    public void DropConnectionOnPublish(int attempt) => _dropOnPublish = attempt;

    /// <summary>Waits until a publish on <paramref name="topic"/> arrived (consuming the notifications before it).</summary>
    public async Task WaitForPublishAsync(string topic, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (await _publishes.Reader.ReadAsync(cancel.Token) != topic)
        {
        }
    }

    public Task DeliverAsync(string topic, byte[] payload) => MessageReceived?.Invoke(new FleetInbound(topic, payload, false)) ?? Task.CompletedTask;

    public Task<bool> ConnectAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_up)
            {
                throw new FleetBrokerException("fake broker is down");
            }

            _connected = true;
            Connects++;
            return Task.FromResult(Connects > 1);
        }
    }

    public Task<string?> PublishAsync(string topic, ReadOnlyMemory<byte> payload, int qualityOfService, bool retain, CancellationToken cancellationToken)
    {
        bool dropped = false;
        lock (_gate)
        {
            if (!_connected)
            {
                throw new FleetBrokerException("not connected");
            }

            if (++_publishCount == _dropOnPublish)
            {
                _connected = false;
                dropped = true;
            }
            else if (topic == RefusedTopic)
            {
                return Task.FromResult<string?>("NotAuthorized");
            }
            else
            {
                _published.Add((topic, payload.ToArray(), qualityOfService, retain));
            }
        }

        if (dropped)
        {
            Disconnected?.Invoke(this, "dropped mid-publish");
            throw new FleetBrokerException("connection lost mid-publish");
        }

        _publishes.Writer.TryWrite(topic);
        return Task.FromResult<string?>(null);
    }

    public Task SubscribeAsync(IReadOnlyList<string> topicFilters, CancellationToken cancellationToken)
    {
        Subscriptions = topicFilters;
        return Task.CompletedTask;
    }

    public Task DisconnectAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _connected = false;
        }

        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
