using System.Globalization;

namespace DeviceHost.Fleet;

/// <summary>
/// The <c>Fleet</c> configuration section (docs/fleet.md). Off by default: without it the device runs exactly as a
/// single device. Validated at start-up; every message names the bad key.
/// </summary>
public sealed class FleetOptions
{
    public const string Section = "Fleet";

    public bool Enabled { get; set; }

    /// <summary>mqtt://host[:1883] or mqtts://host[:8883].</summary>
    public string? Broker { get; set; }

    /// <summary>This device's name in topics: letters, digits, '-', '_' (also its broker user name by convention).</summary>
    public string? DeviceId { get; set; }

    /// <summary>The site (farm, line) the device belongs to; topics are edgeruntime/&lt;site&gt;/&lt;device&gt;/...</summary>
    public string? Site { get; set; }

    /// <summary>A file holding the broker user name on its first line and the password on its second.</summary>
    public string? CredentialsFile { get; set; }

    /// <summary>PEM client certificate for mqtts:// (with <see cref="ClientKeyFile"/>).</summary>
    public string? ClientCertificateFile { get; set; }

    /// <summary>PEM private key of <see cref="ClientCertificateFile"/>.</summary>
    public string? ClientKeyFile { get; set; }

    /// <summary>PEM CA certificate(s) the broker's certificate must chain to; the system store when unset.</summary>
    public string? CaCertificateFile { get; set; }

    /// <summary>The fleet public key (<c>edgeruntime fleet keygen</c>) head bundles must be signed with; bundles are not accepted without it.</summary>
    public string? BundlePublicKeyFile { get; set; }

    /// <summary>Largest head bundle accepted; larger ones are refused and reported.</summary>
    public long MaxBundleBytes { get; set; } = EdgeRuntime.Fleet.HeadBundleCodec.DefaultMaxBytes;

    /// <summary>How often metrics are published.</summary>
    public TimeSpan MetricsInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the device looks for changes worth an event (head activated, source down...).</summary>
    public TimeSpan EventPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the retained state is republished even when nothing changed (its updatedUtc is the heartbeat).</summary>
    public TimeSpan StateInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Messages the on-disk outbox holds while the broker is away; beyond it new events are refused and counted.</summary>
    public int OutboxMaxMessages { get; set; } = 10_000;

    /// <summary>Bytes the on-disk outbox holds while the broker is away.</summary>
    public long OutboxMaxBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>How long the broker keeps this device's session (subscriptions, undelivered QoS 1 bundles) while it is away.</summary>
    public TimeSpan SessionExpiry { get; set; } = TimeSpan.FromDays(7);

    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Fraction (0..1) by which each reconnect delay is randomly shortened, so a fleet does not reconnect in step.</summary>
    public double JitterFraction { get; set; } = 0.5;

    public string? Validate()
    {
        if (!Enabled)
        {
            return null;
        }

        if (BrokerProblem(Broker) is { } broker)
        {
            return broker;
        }

        if ((NameProblem(DeviceId, "DeviceId") ?? NameProblem(Site, "Site")) is { } name)
        {
            return name;
        }

        if (string.Equals(DeviceId, Topics.FleetSegment, StringComparison.Ordinal))
        {
            return $"Fleet:DeviceId must not be '{Topics.FleetSegment}': that topic level is the fleet's own (bundles, requests).";
        }

        foreach (var (key, path) in new[] { ("CredentialsFile", CredentialsFile), ("ClientCertificateFile", ClientCertificateFile), ("ClientKeyFile", ClientKeyFile), ("CaCertificateFile", CaCertificateFile), ("BundlePublicKeyFile", BundlePublicKeyFile) })
        {
            if (path is { Length: > 0 } && !File.Exists(path))
            {
                return $"Fleet:{key} '{path}' does not exist.";
            }
        }

        if (string.IsNullOrEmpty(ClientCertificateFile) != string.IsNullOrEmpty(ClientKeyFile))
        {
            return "Fleet:ClientCertificateFile and Fleet:ClientKeyFile go together: set both or neither.";
        }

        if (!string.IsNullOrEmpty(ClientCertificateFile) && !Broker!.StartsWith("mqtts://", StringComparison.OrdinalIgnoreCase))
        {
            return "Fleet:ClientCertificateFile needs an mqtts:// Fleet:Broker (a client certificate is a TLS feature).";
        }

        return Positive(MetricsInterval, "MetricsInterval") ?? Positive(EventPollInterval, "EventPollInterval") ?? Positive(StateInterval, "StateInterval")
            ?? Positive(KeepAlive, "KeepAlive") ?? Positive(ConnectTimeout, "ConnectTimeout") ?? Positive(InitialBackoff, "InitialBackoff")
            ?? (MaxBackoff < InitialBackoff ? $"Fleet:MaxBackoff ({MaxBackoff}) must not be below Fleet:InitialBackoff ({InitialBackoff})." : null)
            ?? (JitterFraction is < 0 or > 1 || double.IsNaN(JitterFraction) ? F($"Fleet:JitterFraction must be 0..1, not {JitterFraction}.") : null)
            ?? (OutboxMaxMessages < 1 ? F($"Fleet:OutboxMaxMessages must be at least 1, not {OutboxMaxMessages}.") : null)
            ?? (OutboxMaxBytes < 64 * 1024 ? F($"Fleet:OutboxMaxBytes must be at least 65536, not {OutboxMaxBytes}.") : null)
            ?? (MaxBundleBytes < 1024 ? F($"Fleet:MaxBundleBytes must be at least 1024, not {MaxBundleBytes}.") : null)
            ?? (SessionExpiry < TimeSpan.Zero || SessionExpiry.TotalSeconds > uint.MaxValue ? F($"Fleet:SessionExpiry must be 0 to {uint.MaxValue} seconds, not {SessionExpiry}.") : null);
    }

    /// <summary>Why <paramref name="broker"/> is not a usable broker address; null when it is.</summary>
    public static string? BrokerProblem(string? broker)
    {
        if (string.IsNullOrWhiteSpace(broker))
        {
            return "Fleet:Broker is required when Fleet:Enabled is true (mqtt://host:1883 or mqtts://host:8883).";
        }

        if (!Uri.TryCreate(broker, UriKind.Absolute, out var uri) || uri.Scheme is not ("mqtt" or "mqtts") || string.IsNullOrEmpty(uri.Host))
        {
            return $"Fleet:Broker '{broker}' is not mqtt://host[:port] or mqtts://host[:port].";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "Fleet:Broker must not carry credentials; put them in Fleet:CredentialsFile.";
        }

        return null;
    }

    private static string? NameProblem(string? value, string key) =>
        string.IsNullOrWhiteSpace(value) ? $"Fleet:{key} is required when Fleet:Enabled is true."
        : value.Length > 64 || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? $"Fleet:{key} '{value}' may use only letters, digits, '-' and '_' (at most 64): it is a topic level."
        : null;

    private static string? Positive(TimeSpan value, string key) => value <= TimeSpan.Zero ? $"Fleet:{key} must be positive, not {value}." : null;

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
