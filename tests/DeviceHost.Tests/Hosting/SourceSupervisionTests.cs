using System.Net;
using System.Net.Http.Json;
using System.Runtime.Versioning;
using System.Text.Json;
using EdgeRuntime.TestSupport;
using EdgeRuntime.TestSupport.Video;

namespace DeviceHost.Tests.Hosting;

/// <summary>
/// A looping video file as the camera: readiness follows the source, and a file that disappears makes the source
/// reconnect (the process stays healthy) until the file is back. Short supervisor timings keep this quick.
/// </summary>
[SupportedOSPlatform("linux")]
[Collection(DeviceHostCollection.Name)]
public sealed class SourceSupervisionTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TestDirectory _videos = new("edgeruntime-video");
    private DeviceHostRunner _host = null!;

    private string VideoPath => _videos.Combine("camera.avi");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    public void Dispose() => _videos.Dispose();

    [Fact]
    public async Task Readyz_is_503_until_the_video_file_streams_and_200_after_while_healthz_is_200_throughout()
    {
        _host = await StartAsync();

        var notReady = await ReadyzAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.Status);
        Assert.False(notReady.Body.GetProperty("ready").GetBoolean());
        Assert.True(notReady.Body.GetProperty("backbone").GetBoolean());
        Assert.NotEqual("streaming", notReady.Body.GetProperty("source").GetString());
        await AssertAliveAsync();
        var status = await _host.Client.GetJsonAsync("/status");
        Assert.Contains("does not exist", status.GetProperty("source").GetProperty("lastError").GetString(), StringComparison.Ordinal);

        PutVideoInPlace();

        await Poll.UntilTrueAsync(async () => (await ReadyzAsync()).Status == HttpStatusCode.OK, Patience, "/readyz to answer 200 once the file exists");
        await AssertAliveAsync();
    }

    [Fact]
    public async Task A_deleted_video_file_makes_the_source_reconnect_while_healthz_stays_200_and_it_streams_again_once_the_file_is_back()
    {
        PutVideoInPlace();
        _host = await StartAsync();
        await WaitForSourceStateAsync(state => state == "streaming", "the source to stream");
        var before = await _host.Client.GetJsonAsync("/status");

        File.Delete(VideoPath);

        // First the reads fail, then a reopen says why.
        await WaitForSourceAsync(
            source => source.GetProperty("state").GetString() is "stalled" or "reconnecting" or "failed"
                && source.GetProperty("lastError").GetString() is { } error && error.Contains("does not exist", StringComparison.Ordinal),
            "the source to report that the file is gone");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await ReadyzAsync()).Status);
        await AssertAliveAsync();

        PutVideoInPlace();

        var back = await WaitForSourceStateAsync(state => state == "streaming", "the source to stream again");
        Assert.True(back.GetProperty("reconnects").GetInt64() > 0);
        Assert.True(back.GetProperty("framesCaptured").GetInt64() > before.GetProperty("source").GetProperty("framesCaptured").GetInt64());
        await Poll.UntilTrueAsync(async () => (await ReadyzAsync()).Status == HttpStatusCode.OK, Patience, "/readyz to answer 200 again");
        var frameTime = HostApi.FrameTime(await _host.Client.WaitForFrameAfterAsync(DateTimeOffset.UtcNow));
        Assert.True(frameTime > DateTimeOffset.UtcNow.AddMinutes(-1));
    }

    private Task<DeviceHostRunner> StartAsync() => DeviceHostRunner.StartAsync(new Dictionary<string, string?>
    {
        ["Pipeline:Source"] = new Uri(VideoPath).AbsoluteUri + "?loop=true",
        ["Pipeline:Supervisor:InitialBackoff"] = "00:00:00.1",
        ["Pipeline:Supervisor:MaxBackoff"] = "00:00:00.4",
        ["Pipeline:Supervisor:MinimumStallTimeout"] = "00:00:01",
        ["Pipeline:Supervisor:ReconnectGracePeriod"] = "00:00:00.5",
        ["Pipeline:Supervisor:MaxConsecutiveReadFailures"] = "3",
    });

    /// <summary>Writes the video beside its place and renames it in, so the source never sees a half-written file.</summary>
    private void PutVideoInPlace()
    {
        var temp = _videos.Combine("writing.avi");
        SyntheticVideo.WriteMjpegAvi(temp, frameCount: 20, fps: 10);
        File.Move(temp, VideoPath, overwrite: true);
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> ReadyzAsync()
    {
        using var response = await _host.Client.GetAsync(HostApi.Path("/readyz"));
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private async Task AssertAliveAsync()
    {
        using var response = await _host.Client.GetAsync(HostApi.Path("/healthz"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private Task<JsonElement> WaitForSourceStateAsync(Func<string?, bool> accept, string what) =>
        WaitForSourceAsync(source => accept(source.GetProperty("state").GetString()), what);

    private Task<JsonElement> WaitForSourceAsync(Func<JsonElement, bool> accept, string what) =>
        Poll.UntilValueAsync(
            async () =>
            {
                var source = (await _host.Client.GetJsonAsync("/status")).GetProperty("source");
                return accept(source) ? source : (JsonElement?)null;
            },
            Patience,
            what);
}
