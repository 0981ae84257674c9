using DeviceHost.Hosting;
using EdgeRuntime.Fleet;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DeviceHost.Fleet;

/// <summary>
/// Adds the fleet services when <c>Fleet:Enabled</c> is true; otherwise only the (validated) options, so a device
/// without a broker runs exactly as before. Tests replace <see cref="IFleetBroker"/> with a fake.
/// </summary>
public static class FleetWiring
{
    public static void Add(IServiceCollection services, IConfiguration configuration, string dataDirectory)
    {
        var section = configuration.GetSection(FleetOptions.Section);
        services.AddOptions<FleetOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<FleetOptions>>(new DelegateOptionsValidator<FleetOptions>(o => o.Validate()));
        if (!section.GetValue<bool>(nameof(FleetOptions.Enabled)))
        {
            return;
        }

        services.AddSingleton(sp => sp.GetRequiredService<IOptions<FleetOptions>>().Value);
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<FleetOptions>();
            return new FleetOutbox(Path.Combine(dataDirectory, "fleet", "outbox"), o.OutboxMaxMessages, o.OutboxMaxBytes);
        });
        services.TryAddSingleton<IFleetBroker>(sp =>
        {
            var o = sp.GetRequiredService<FleetOptions>();

            // Room for a bundle somewhat over the limit, so the device can refuse and report it instead of the
            // MQTT layer dropping it silently.
            return new MqttFleetBroker(BrokerSettings.ForDevice(o), (2 * o.MaxBundleBytes) + (1024 * 1024));
        });
        services.AddSingleton(sp => new FleetMomentsKey(dataDirectory));
        services.AddSingleton<FleetPublicKey>();
        services.AddSingleton<FleetBundleHandler>();
        services.AddSingleton<IFleetInboundHandler>(sp => sp.GetRequiredService<FleetBundleHandler>());
        services.AddSingleton<IFleetInboundHandler, FleetRequestHandler>();
        services.AddSingleton<FleetConnection>();
        services.AddHostedService(sp => sp.GetRequiredService<FleetConnection>());
        services.AddSingleton<FleetTelemetry>();
        services.AddHostedService(sp => sp.GetRequiredService<FleetTelemetry>());
    }
}
