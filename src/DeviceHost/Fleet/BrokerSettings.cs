namespace DeviceHost.Fleet;

/// <summary>How to reach the broker as one client: the device (persistent session, last will) or the CLI (clean, short).</summary>
public sealed record BrokerSettings
{
    public required Uri Broker { get; init; }

    public required string ClientId { get; init; }

    public string? UserName { get; init; }

    public string? Password { get; init; }

    public string? ClientCertificateFile { get; init; }

    public string? ClientKeyFile { get; init; }

    public string? CaCertificateFile { get; init; }

    /// <summary>False keeps the broker's session (subscriptions and unacknowledged QoS 1 messages) across reconnects.</summary>
    public bool CleanStart { get; init; }

    public TimeSpan SessionExpiry { get; init; }

    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Retained QoS 1 message the broker publishes when the connection is lost without a clean disconnect.</summary>
    public string? WillTopic { get; init; }

    public byte[]? WillPayload { get; init; }

    /// <summary>The device's own settings from <paramref name="options"/> (validated): persistent session, last will "offline".</summary>
    public static BrokerSettings ForDevice(FleetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (user, password) = ReadCredentials(options.CredentialsFile);
        return new BrokerSettings
        {
            Broker = new Uri(options.Broker!),
            ClientId = $"edgeruntime-{options.Site}-{options.DeviceId}",
            UserName = user,
            Password = password,
            ClientCertificateFile = options.ClientCertificateFile,
            ClientKeyFile = options.ClientKeyFile,
            CaCertificateFile = options.CaCertificateFile,
            CleanStart = false,
            SessionExpiry = options.SessionExpiry,
            KeepAlive = options.KeepAlive,
            Timeout = options.ConnectTimeout,
            WillTopic = Topics.Availability(options.Site!, options.DeviceId!),
            WillPayload = "offline"u8.ToArray(),
        };
    }

    /// <summary>User name (first line) and password (second line) from a credentials file; (null, null) without one.</summary>
    public static (string? User, string? Password) ReadCredentials(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return (null, null);
        }

        var lines = File.ReadAllLines(path).Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
        if (lines.Count is < 1 or > 2)
        {
            throw new FleetBrokerException($"Credentials file '{path}' must hold the user name on its first line and the password on its second.");
        }

        return (lines[0], lines.Count == 2 ? lines[1] : null);
    }
}
