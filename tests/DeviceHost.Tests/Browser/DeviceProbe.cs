using System.Text.Json;

namespace DeviceHost.Tests.Browser;

/// <summary>
/// Reads the device's public status over HTTP, for the one thing a browser cannot see: that the camera has produced
/// new frames since a scene switch, so the next capture shows the new scene.
/// </summary>
internal sealed class DeviceProbe : IDisposable
{
    private readonly HttpClient _http;

    public DeviceProbe(Uri baseAddress)
    {
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>Fails with a clear message when the service does not serve the technician page at its root.</summary>
    public async Task AssertServesPageAsync()
    {
        using var response = await _http.GetAsync(new Uri("/", UriKind.Relative));
        var type = response.Content.Headers.ContentType?.MediaType;
        if (!response.IsSuccessStatusCode || type != "text/html")
        {
            throw new Xunit.Sdk.XunitException(
                $"GET / answered {(int)response.StatusCode} {type}: the service must serve src/DeviceHost/wwwroot (index.html) at its root.");
        }
    }

    /// <summary>Frames the source has delivered so far.</summary>
    public async Task<long> FramesCapturedAsync()
    {
        using var document = JsonDocument.Parse(await _http.GetStringAsync(new Uri("status", UriKind.Relative)));
        var root = document.RootElement;
        if (root.TryGetProperty("source", out var source) && source.TryGetProperty("framesCaptured", out var count)
            && count.ValueKind == JsonValueKind.Number)
        {
            return count.GetInt64();
        }

        return root.GetProperty("pipeline").GetProperty("framesCaptured").GetInt64();
    }

    /// <summary>Waits until the source has delivered <paramref name="frames"/> more frames.</summary>
    public async Task WaitForFreshFramesAsync(int frames)
    {
        var start = await FramesCapturedAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (await FramesCapturedAsync() < start + frames)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"The source delivered no {frames} new frames after frame {start} in 30 s.");
            }

            // Polling is the only signal the public API offers; frames arrive many times a second.
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }

    public void Dispose() => _http.Dispose();
}
