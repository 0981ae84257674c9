using System.Runtime.Versioning;
using DeviceHost.Fleet;

namespace DeviceHost.Tests.Fleet;

/// <summary>mqtts:// with a client certificate against mosquitto requiring one (the certificate's CN is the broker user).</summary>
[SupportedOSPlatform("linux")]
public sealed class FleetTlsTests : IDisposable
{
    private readonly MosquittoBroker _broker = new("tls", ["dev-t", "dev-u"], tls: true);

    public void Dispose() => _broker.Dispose();

    [Fact]
    public async Task A_device_with_a_client_certificate_connects_over_tls_and_the_acl_follows_the_certificates_name()
    {
        var options = new FleetOptions
        {
            Enabled = true,
            Broker = _broker.TlsUri,
            DeviceId = "dev-t",
            Site = "tls",
            CaCertificateFile = _broker.TlsFile("ca.pem"),
            ClientCertificateFile = _broker.TlsFile("dev-t.pem"),
            ClientKeyFile = _broker.TlsFile("dev-t.key"),
        };
        Assert.Null(options.Validate());
        await using var device = new MqttFleetBroker(BrokerSettings.ForDevice(options), 1 << 20);
        await device.ConnectAsync(CancellationToken.None);
        Assert.Null(await device.PublishAsync(Topics.State("tls", "dev-t"), "{}"u8.ToArray(), 1, retain: true, CancellationToken.None));
        Assert.Contains("NotAuthorized", await device.PublishAsync(Topics.State("tls", "dev-u"), "{}"u8.ToArray(), 1, retain: true, CancellationToken.None), StringComparison.Ordinal);
        await device.DisconnectAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Without_a_client_certificate_or_with_an_untrusted_broker_the_connection_is_refused()
    {
        var noCertificate = new BrokerSettings { Broker = new Uri(_broker.TlsUri), ClientId = "no-cert", CaCertificateFile = _broker.TlsFile("ca.pem"), Timeout = TimeSpan.FromSeconds(5) };
        await using (var client = new MqttFleetBroker(noCertificate, 1 << 20))
        {
            await Assert.ThrowsAsync<FleetBrokerException>(() => client.ConnectAsync(CancellationToken.None));
        }

        // The system store does not know the test CA: the broker's certificate is not trusted.
        var untrusted = noCertificate with { ClientId = "untrusted", CaCertificateFile = null, ClientCertificateFile = _broker.TlsFile("dev-t.pem"), ClientKeyFile = _broker.TlsFile("dev-t.key") };
        await using var other = new MqttFleetBroker(untrusted, 1 << 20);
        await Assert.ThrowsAsync<FleetBrokerException>(() => other.ConnectAsync(CancellationToken.None));
    }
}
