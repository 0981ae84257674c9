using DeviceHost.Composition;
using DeviceHost.Fleet;
using Microsoft.Extensions.Configuration;

namespace DeviceHost.Cli.Fleet;

/// <summary>A short-lived, clean-session broker client for one CLI command (no last will: the CLI is not a device).</summary>
public static class FleetCliBroker
{
    /// <summary>The fleet options the command works with: the configuration's Fleet section, overridden by the command line.</summary>
    public static FleetOptions Options(FleetCliSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var options = new FleetOptions();
        DeviceConfiguration.Build(settings.ConfigFile).GetSection(FleetOptions.Section).Bind(options);
        options.Broker = settings.Broker ?? options.Broker;
        options.Site = settings.Site ?? options.Site;
        options.CredentialsFile = settings.CredentialsFile ?? options.CredentialsFile;
        options.CaCertificateFile = settings.CaCertificateFile ?? options.CaCertificateFile;
        options.ClientCertificateFile = settings.ClientCertificateFile ?? options.ClientCertificateFile;
        options.ClientKeyFile = settings.ClientKeyFile ?? options.ClientKeyFile;
        if (FleetOptions.BrokerProblem(options.Broker) is { } problem)
        {
            throw new InvalidOperationException(problem.Replace("Fleet:Broker", "--broker (or Fleet:Broker)", StringComparison.Ordinal));
        }

        if (string.IsNullOrWhiteSpace(options.Site))
        {
            throw new InvalidOperationException("--site (or Fleet:Site) is required.");
        }

        return options;
    }

    public static async Task<MqttFleetBroker> ConnectAsync(FleetOptions options, TimeSpan timeout, long maxInboundBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (user, password) = BrokerSettings.ReadCredentials(options.CredentialsFile);
        var broker = new MqttFleetBroker(new BrokerSettings
        {
            Broker = new Uri(options.Broker!),
            ClientId = "edgeruntime-cli-" + Guid.NewGuid().ToString("N")[..12],
            UserName = user,
            Password = password,
            CaCertificateFile = options.CaCertificateFile,
            ClientCertificateFile = options.ClientCertificateFile,
            ClientKeyFile = options.ClientKeyFile,
            CleanStart = true,
            SessionExpiry = TimeSpan.Zero,
            Timeout = timeout,
        }, maxInboundBytes);
        try
        {
            await broker.ConnectAsync(cancellationToken).ConfigureAwait(false);
            return broker;
        }
        catch
        {
            await broker.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
