using System.Runtime.Versioning;
using DeviceHost.Hosting;
using EdgeRuntime.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace DeviceHost.Tests.Browser;

/// <summary>
/// The real device service, in process, on a free loopback port with a synthetic camera and a fresh data directory.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class BrowserTestHost : IAsyncDisposable
{
    private readonly TestDirectory _data;
    private readonly WebApplication _app;

    private BrowserTestHost(TestDirectory data, WebApplication app, Uri baseAddress, string token)
    {
        _data = data;
        _app = app;
        BaseAddress = baseAddress;
        Token = token;
    }

    public Uri BaseAddress { get; }

    /// <summary>The technician token the service created in its data directory.</summary>
    public string Token { get; }

    /// <summary>
    /// A drift monitor that answers within seconds on a 5 frames/s camera (the smallest window, no raise delay, a short
    /// clear delay), so a browser test sees the banner come and go without minutes of waiting; and a review queue that
    /// keeps every class flip (no near-duplicate suppression), so each scene change queues a frame. (The head here is
    /// calibrated on a dozen samples; its embedding-shift threshold is widened for that by the calibration itself.)
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string?> QuickField = new Dictionary<string, string?>
    {
        ["Drift:WindowFrames"] = "16",
        ["Drift:RaiseAfterSeconds"] = "0",
        ["Drift:ClearAfterSeconds"] = "1",
        ["Review:DuplicateDistance"] = "0",
    };

    public static async Task<BrowserTestHost> StartAsync(string scene, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var data = new TestDirectory("edgeruntime-browser");
        var configuration = new Dictionary<string, string?>
        {
            ["Api:Port"] = "0",

            // A slow camera and one augmented view keep the CPU free for the browser on a two-core machine;
            // the flow through capture, training, gate and activation is the same.
            ["Pipeline:Source"] = $"synthetic:?scene={scene}&fps=5",
            ["Calibration:AugmentedViews"] = "1",

            // A threshold picked from two holdout images per class can sit above 0.98 and turn a clear frame "unknown";
            // the page is under test here, not the threshold choice.
            ["Calibration:UnknownThreshold"] = "0.5",

            // Likewise a novelty threshold from two holdout images per class flags about one clear frame in twenty.
            ["Calibration:NoveltyRejects"] = "false",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var app = DeviceHostBuilder.Build(null, data.Path, configuration);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var token = (await File.ReadAllTextAsync(Path.Combine(data.Path, "api-token"))).Trim();
        return new BrowserTestHost(data, app, new Uri(address.TrimEnd('/') + "/"), token);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _data.Dispose();
    }
}
