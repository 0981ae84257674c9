using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.Versioning;
using DeviceHost.Hosting;
using EdgeRuntime.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace DeviceHost.Tests.Hosting;

/// <summary>
/// The real device service (real ResNet-18, real Kestrel) started in process on a free loopback port, with a data
/// directory of its own unless one is given. <see cref="StartChildAsync"/> runs it as a separate <c>edgeruntime</c>
/// process instead, for signal and restart tests. Dispose stops the host, then releases it.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class DeviceHostRunner : IAsyncDisposable
{
    private readonly TestDirectory? _ownedData;
    private bool _disposed;

    private DeviceHostRunner(WebApplication app, Uri baseAddress, string dataDirectory, TestDirectory? ownedData)
    {
        App = app;
        BaseAddress = baseAddress;
        DataDirectory = dataDirectory;
        _ownedData = ownedData;
        Token = ReadToken(dataDirectory);
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        AuthorizedClient = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        AuthorizedClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    /// <summary>Settings every test host gets unless overridden: quiet logs, the synthetic source, a small thread budget.</summary>
    public static IReadOnlyDictionary<string, string?> DefaultSettings { get; } = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
    {
        ["Serilog:MinimumLevel:Default"] = "Warning",
        ["Pipeline:Source"] = "synthetic:?fps=10",
        ["Execution:IntraOpThreads"] = "2",
    };

    /// <summary>The running application; its <see cref="WebApplication.Services"/> are the host's own singletons.</summary>
    public WebApplication App { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>http://127.0.0.1:port/ of the running host.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The data directory the host owns while it runs.</summary>
    public string DataDirectory { get; }

    /// <summary>The technician token from &lt;data&gt;/api-token.</summary>
    public string Token { get; }

    /// <summary>A client without credentials.</summary>
    public HttpClient Client { get; }

    /// <summary>A client sending <c>Authorization: Bearer &lt;token&gt;</c> with every request.</summary>
    public HttpClient AuthorizedClient { get; }

    /// <summary>
    /// Builds the host with <paramref name="overrides"/> on top of <see cref="DefaultSettings"/> (port 0 is forced, the
    /// bound port is read back from Kestrel), starts it and returns once every hosted service has started (backbone loaded).
    /// </summary>
    /// <param name="dataDirectory">An existing data directory to reuse (the caller owns it); null creates a fresh one owned by the runner.</param>
    public static async Task<DeviceHostRunner> StartAsync(
        IDictionary<string, string?>? overrides = null,
        string? dataDirectory = null,
        Action<IServiceCollection>? configureTestServices = null,
        CancellationToken cancellationToken = default)
    {
        var owned = dataDirectory is null ? new TestDirectory("edgeruntime-host") : null;
        var data = dataDirectory ?? owned!.Path;
        var settings = Merge(overrides);
        settings["Api:Address"] = "127.0.0.1";
        settings["Api:Port"] = "0";
        WebApplication? app = null;
        try
        {
            app = DeviceHostBuilder.Build(null, data, settings, configureTestServices);
            await app.StartAsync(cancellationToken);
            var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
            var port = new Uri(address).Port;
            return new DeviceHostRunner(app, new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/")), data, owned);
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }

            owned?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Starts <c>dotnet edgeruntime.dll run --data DIR</c> on a free loopback port with the settings as
    /// <c>EDGERUNTIME__</c> environment variables and waits until /readyz answers 200 (at most <paramref name="readyTimeout"/>).
    /// </summary>
    public static Task<DeviceHostProcess> StartChildAsync(
        string dataDirectory, IDictionary<string, string?>? overrides = null, TimeSpan? readyTimeout = null, CancellationToken cancellationToken = default) =>
        DeviceHostProcess.StartAsync(dataDirectory, Merge(overrides), readyTimeout ?? TimeSpan.FromSeconds(60), cancellationToken);

    /// <summary>Reads the token the service created (or found) in its data directory.</summary>
    public static string ReadToken(string dataDirectory) => File.ReadAllText(Path.Combine(dataDirectory, "api-token")).Trim();

    public T GetService<T>()
        where T : notnull => App.Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Client.Dispose();
        AuthorizedClient.Dispose();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await App.StopAsync(timeout.Token);
        }
        finally
        {
            await App.DisposeAsync();
            _ownedData?.Dispose();
        }
    }

    private static Dictionary<string, string?> Merge(IDictionary<string, string?>? overrides)
    {
        var settings = new Dictionary<string, string?>(DefaultSettings, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }
}
