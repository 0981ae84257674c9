using System.Text;
using DeviceHost.Sources;
using EdgeRuntime.Fleet;

namespace DeviceHost.Fleet;

/// <summary>
/// Keeps the device's broker session up: connects with capped, jittered backoff, announces "online" (the last will
/// says "offline"), subscribes for the inbound handlers, republishes the latest retained state and drains the
/// on-disk outbox in order, removing each message only after the broker acknowledged it. Every fault is contained;
/// a lost broker only means waiting. Owns the broker client; borrows the outbox.
/// </summary>
public sealed class FleetConnection : BackgroundService
{
    private readonly IFleetBroker _broker;
    private readonly FleetOutbox _outbox;
    private readonly FleetOptions _options;
    private readonly IReadOnlyList<IFleetInboundHandler> _handlers;
    private readonly TimeProvider _time;
    private readonly ILogger<FleetConnection> _logger;
    private readonly ReconnectBackoff _backoff;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Lock _gate = new();
    private (string Topic, byte[] Payload)? _state;
    private bool _stateDirty;
    private long _published;
    private long _refused;
    private long _connections;
    private string? _lastError;

    public FleetConnection(IFleetBroker broker, FleetOutbox outbox, FleetOptions options, IEnumerable<IFleetInboundHandler> handlers, TimeProvider time, ILogger<FleetConnection> logger)
    {
        ArgumentNullException.ThrowIfNull(broker);
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(options);
        (_broker, _outbox, _options, _time, _logger) = (broker, outbox, options, time, logger);
        _handlers = [.. handlers];
        _backoff = new ReconnectBackoff(options.InitialBackoff, options.MaxBackoff, 2, options.JitterFraction, new Random());
        _broker.MessageReceived += OnMessageAsync;
        _broker.Disconnected += (_, reason) =>
        {
            _logger.LogWarning("Fleet broker connection lost: {Reason}", reason);
            _lastError = reason;
            Wake();
        };
        _outbox.Enqueued += (_, _) => Wake();
    }

    public bool IsConnected => _broker.IsConnected;

    /// <summary>Messages delivered to the broker since start (outbox and state).</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Messages the broker refused (e.g. not authorised); they are logged and dropped, since they can never succeed.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Successful connections since start (1 = never reconnected).</summary>
    public long Connections => Interlocked.Read(ref _connections);

    public string? LastError => _lastError;

    public FleetOutbox Outbox => _outbox;

    /// <summary>Raised after each successful connection (subscriptions made, outbox about to drain).</summary>
    public event EventHandler? Connected;

    /// <summary>Queues a message that must not be lost (QoS 1, through the on-disk outbox); false when the outbox is full.</summary>
    public bool Enqueue(string topic, ReadOnlySpan<byte> payload)
    {
        if (_outbox.TryEnqueue(topic, payload, 1, retain: false))
        {
            return true;
        }

        _logger.LogWarning("Fleet outbox full ({Count} messages, {Bytes} bytes; bound {MaxMessages} messages, {MaxBytes} bytes): message for {Topic} dropped",
            _outbox.Count, _outbox.Bytes, _outbox.MaxMessages, _outbox.MaxBytes, topic);
        return false;
    }

    /// <summary>Sets the retained state; only the latest matters, so it is not queued but sent now or at the next connection.</summary>
    public void SetState(string topic, byte[] payload)
    {
        lock (_gate)
        {
            _state = (topic, payload);
            _stateDirty = true;
        }

        Wake();
    }

    /// <summary>Publishes a message whose loss is tolerable (metrics: QoS 0) if connected; false when not sent.</summary>
    public async Task<bool> TryPublishVolatileAsync(string topic, byte[] payload, CancellationToken cancellationToken)
    {
        if (!_broker.IsConnected)
        {
            return false;
        }

        try
        {
            return await _broker.PublishAsync(topic, payload, 0, retain: false, cancellationToken).ConfigureAwait(false) is null;
        }
        catch (FleetBrokerException)
        {
            return false;
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (_broker.IsConnected)
        {
            try
            {
                // A clean disconnect suppresses the last will, so say "offline" ourselves.
                await _broker.PublishAsync(Topics.Availability(_options.Site!, _options.DeviceId!), "offline"u8.ToArray(), 1, retain: true, cancellationToken).ConfigureAwait(false);
            }
            catch (FleetBrokerException ex)
            {
                _logger.LogDebug("Could not announce offline: {Reason}", ex.Message);
            }

            await _broker.DisconnectAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        _broker.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _wake.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        int retry = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                bool sessionPresent = await _broker.ConnectAsync(stoppingToken).ConfigureAwait(false);
                retry = 0;
                Interlocked.Increment(ref _connections);
                _logger.LogInformation("Fleet broker connected ({Broker}); session {Session}; {Pending} messages waiting in the outbox",
                    _options.Broker, sessionPresent ? "resumed" : "new", _outbox.Count);
                await OnConnectedAsync(stoppingToken).ConfigureAwait(false);
                await DrainAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (FleetBrokerException ex)
            {
                _lastError = ex.Message;
                _logger.LogWarning("Fleet broker unavailable: {Reason}", ex.Message);
            }
            catch (Exception ex)
            {
                _lastError = ex.Message;
                _logger.LogError(ex, "Fleet connection failed unexpectedly; reconnecting");
            }

            var delay = _backoff.Next(retry++);
            try
            {
                await Task.Delay(delay, _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task OnConnectedAsync(CancellationToken cancellationToken)
    {
        await PublishCountedAsync(Topics.Availability(_options.Site!, _options.DeviceId!), Encoding.UTF8.GetBytes("online"), retain: true, cancellationToken).ConfigureAwait(false);
        var filters = _handlers.SelectMany(h => h.TopicFilters).Distinct(StringComparer.Ordinal).ToList();
        if (filters.Count > 0)
        {
            try
            {
                await _broker.SubscribeAsync(filters, cancellationToken).ConfigureAwait(false);
            }
            catch (FleetBrokerException ex) when (_broker.IsConnected)
            {
                // Telemetry still works without inbound messages; the message says which filter the ACL refused.
                _logger.LogError("Fleet subscription refused; no bundles or requests will arrive: {Reason}", ex.Message);
            }
        }

        lock (_gate)
        {
            _stateDirty = _state is not null;
        }

        Connected?.Invoke(this, EventArgs.Empty);
    }

    /// <summary>Sends the state when it changed and the outbox oldest-first until the connection drops.</summary>
    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        while (_broker.IsConnected)
        {
            (string Topic, byte[] Payload)? state = null;
            lock (_gate)
            {
                if (_stateDirty)
                {
                    state = _state;
                    _stateDirty = false;
                }
            }

            if (state is { } s)
            {
                try
                {
                    await PublishCountedAsync(s.Topic, s.Payload, retain: true, cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    lock (_gate)
                    {
                        _stateDirty = true;
                    }

                    throw;
                }

                continue;
            }

            if (_outbox.Peek() is not { } message)
            {
                await _wake.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
                continue;
            }

            var refusal = await _broker.PublishAsync(message.Topic, message.Payload, message.QualityOfService, message.Retain, cancellationToken).ConfigureAwait(false);
            if (refusal is not null)
            {
                Interlocked.Increment(ref _refused);
                _logger.LogError("The broker refused a message for {Topic} ({Refusal}); dropped, since it cannot succeed", message.Topic, refusal);
            }
            else
            {
                Interlocked.Increment(ref _published);
            }

            _outbox.Remove(message.Sequence);
        }
    }

    private async Task PublishCountedAsync(string topic, byte[] payload, bool retain, CancellationToken cancellationToken)
    {
        var refusal = await _broker.PublishAsync(topic, payload, 1, retain, cancellationToken).ConfigureAwait(false);
        if (refusal is null)
        {
            Interlocked.Increment(ref _published);
            return;
        }

        Interlocked.Increment(ref _refused);
        _logger.LogError("The broker refused {Topic}: {Refusal}", topic, refusal);
    }

    private async Task OnMessageAsync(FleetInbound message)
    {
        foreach (var handler in _handlers.Where(h => h.Handles(message.Topic)))
        {
            try
            {
                await handler.HandleAsync(message, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Fleet message on {Topic} could not be handled", message.Topic);
            }
        }
    }

    private void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }
}
