using System.Security.Cryptography.X509Certificates;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace DeviceHost.Fleet;

/// <summary>
/// The real broker: one MQTTnet 5 client speaking MQTT 5. Owns the client. Inbound QoS 1 messages are acknowledged
/// after the handler returned (manual acknowledgement), so a crash while handling one gets it redelivered.
/// </summary>
public sealed class MqttFleetBroker : IFleetBroker
{
    private readonly BrokerSettings _settings;
    private readonly IMqttClient _client;
    private readonly long _maxInboundBytes;
    private volatile bool _closing;

    /// <param name="maxInboundBytes">Largest message the client accepts from the broker (bigger ones are dropped by MQTT itself).</param>
    public MqttFleetBroker(BrokerSettings settings, long maxInboundBytes)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _maxInboundBytes = maxInboundBytes;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
        _client.DisconnectedAsync += e =>
        {
            if (e.ClientWasConnected && !_closing)
            {
                Disconnected?.Invoke(this, e.ReasonString ?? e.Reason.ToString() + (e.Exception is { } ex ? ": " + ex.Message : string.Empty));
            }

            return Task.CompletedTask;
        };
    }

    public bool IsConnected => _client.IsConnected;

    public event EventHandler<string>? Disconnected;

    public event Func<FleetInbound, Task>? MessageReceived;

    public async Task<bool> ConnectAsync(CancellationToken cancellationToken)
    {
        _closing = false;
        try
        {
            var result = await _client.ConnectAsync(BuildOptions(), cancellationToken).ConfigureAwait(false);
            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                throw new FleetBrokerException($"The broker {_settings.Broker} refused the connection: {result.ResultCode} {result.ReasonString}");
            }

            return result.IsSessionPresent;
        }
        catch (Exception ex) when (ex is MqttCommunicationException or System.Net.Sockets.SocketException or IOException or InvalidOperationException)
        {
            throw new FleetBrokerException($"Cannot connect to {_settings.Broker}: {ex.Message}", ex);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new FleetBrokerException($"Connecting to {_settings.Broker} timed out after {_settings.Timeout}.");
        }
    }

    public async Task<string?> PublishAsync(string topic, ReadOnlyMemory<byte> payload, int qualityOfService, bool retain, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload.ToArray())
            .WithQualityOfServiceLevel((MqttQualityOfServiceLevel)qualityOfService)
            .WithRetainFlag(retain)
            .Build();
        try
        {
            var result = await _client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
            // Codes below 0x80 are successes in MQTT 5 ("no matching subscribers" included).
            return (int)result.ReasonCode < 0x80 ? null : $"{result.ReasonCode} {result.ReasonString}".Trim();
        }
        catch (Exception ex) when (ex is MqttCommunicationException or IOException or InvalidOperationException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new FleetBrokerException($"Publishing to {topic} failed: {ex.Message}", ex);
        }
    }

    public async Task SubscribeAsync(IReadOnlyList<string> topicFilters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(topicFilters);
        var builder = new MqttClientSubscribeOptionsBuilder();
        foreach (var filter in topicFilters)
        {
            builder.WithTopicFilter(f => f.WithTopic(filter).WithAtLeastOnceQoS().WithRetainHandling(MqttRetainHandling.SendAtSubscribeIfNewSubscriptionOnly));
        }

        try
        {
            var result = await _client.SubscribeAsync(builder.Build(), cancellationToken).ConfigureAwait(false);
            var refused = result.Items.Where(i => (int)i.ResultCode > 2).Select(i => $"{i.TopicFilter.Topic}: {i.ResultCode}").ToList();
            if (refused.Count > 0)
            {
                throw new FleetBrokerException("The broker refused the subscription " + string.Join("; ", refused));
            }
        }
        catch (Exception ex) when (ex is MqttCommunicationException or IOException)
        {
            throw new FleetBrokerException($"Subscribing failed: {ex.Message}", ex);
        }
    }

    public async Task DisconnectAsync(CancellationToken cancellationToken)
    {
        _closing = true;
        if (_client.IsConnected)
        {
            try
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is MqttCommunicationException or IOException or OperationCanceledException)
            {
                // Already gone: nothing to close.
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _closing = true;
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        e.AutoAcknowledge = false;
        var message = e.ApplicationMessage;
        if (MessageReceived is { } handler)
        {
            await handler(new FleetInbound(message.Topic, System.Buffers.BuffersExtensions.ToArray(message.Payload), message.Retain)).ConfigureAwait(false);
        }

        await e.AcknowledgeAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private MqttClientOptions BuildOptions()
    {
        var uri = _settings.Broker;
        bool tls = uri.Scheme == "mqtts";
        int port = uri.IsDefaultPort || uri.Port <= 0 ? (tls ? 8883 : 1883) : uri.Port;
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(uri.Host, port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(_settings.ClientId)
            .WithCleanStart(_settings.CleanStart)
            .WithSessionExpiryInterval((uint)_settings.SessionExpiry.TotalSeconds)
            .WithKeepAlivePeriod(_settings.KeepAlive)
            .WithTimeout(_settings.Timeout)
            .WithMaximumPacketSize((uint)Math.Min(uint.MaxValue, _maxInboundBytes));
        if (_settings.UserName is { } user)
        {
            builder.WithCredentials(user, _settings.Password);
        }

        if (_settings.WillTopic is { } will)
        {
            builder.WithWillTopic(will).WithWillPayload(_settings.WillPayload ?? []).WithWillRetain(true).WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        }

        if (tls)
        {
            builder.WithTlsOptions(o =>
            {
                o.UseTls(true).WithTargetHost(uri.Host);
                if (_settings.CaCertificateFile is { Length: > 0 } ca)
                {
                    var chain = new X509Certificate2Collection();
                    chain.ImportFromPemFile(ca);
                    o.WithTrustChain(chain);
                }

                if (_settings.ClientCertificateFile is { Length: > 0 } cert)
                {
                    o.WithClientCertificates([X509Certificate2.CreateFromPemFile(cert, _settings.ClientKeyFile)]);
                }
            });
        }

        return builder.Build();
    }
}
