using System.Net;
using System.Net.Http.Json;
using System.Runtime.Versioning;
using System.Text.Json;
using DeviceHost.Tests.Hosting;

namespace DeviceHost.Tests.Api;

/// <summary>Health, readiness, status, metrics and predictions of a running host with the synthetic camera and no head.</summary>
[SupportedOSPlatform("linux")]
[Collection(DeviceHostCollection.Name)]
public sealed class MonitoringEndpointsTests(SharedHostFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly DeviceHostRunner _host = fixture.Host;

    [Fact]
    public async Task Healthz_answers_alive()
    {
        using var response = await _host.Client.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("alive", body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Readyz_answers_200_once_the_backbone_is_loaded_and_the_source_streams()
    {
        var body = await Poll.UntilValueAsync(
            async () =>
            {
                using var response = await _host.Client.GetAsync(new Uri("/readyz", UriKind.Relative));
                return response.StatusCode == HttpStatusCode.OK ? (JsonElement?)await response.Content.ReadFromJsonAsync<JsonElement>() : null;
            },
            Patience,
            "/readyz to answer 200");

        Assert.True(body.GetProperty("ready").GetBoolean());
        Assert.True(body.GetProperty("backbone").GetBoolean());
        Assert.Equal("streaming", body.GetProperty("source").GetString());
    }

    [Fact]
    public async Task Status_shows_the_cpu_backbone_the_streaming_source_frame_rate_latency_and_that_calibration_is_needed()
    {
        var status = await Poll.UntilValueAsync(
            async () =>
            {
                var s = await _host.Client.GetFromJsonAsync<JsonElement>(new Uri("/status", UriKind.Relative));
                return s.GetProperty("pipeline").GetProperty("fps").GetDouble() > 0
                    && s.GetProperty("pipeline").GetProperty("latencyMs").GetProperty("p95").ValueKind == JsonValueKind.Number
                    ? (JsonElement?)s : null;
            },
            Patience,
            "/status to show a frame rate and latency");

        var s = status;
        Assert.True(s.GetProperty("needsCalibration").GetBoolean());
        Assert.Equal(JsonValueKind.Null, s.GetProperty("activeHead").ValueKind);
        Assert.True(s.GetProperty("uptimeSeconds").GetDouble() >= 0);
        var backbone = s.GetProperty("backbone");
        Assert.Equal("cpu", backbone.GetProperty("provider").GetString());
        Assert.Equal(512, backbone.GetProperty("embeddingDimension").GetInt32());
        Assert.Equal("resnet18-imagenet", backbone.GetProperty("name").GetString());
        Assert.False(string.IsNullOrEmpty(backbone.GetProperty("backboneHash").GetString()));
        Assert.True(backbone.GetProperty("ready").GetBoolean());
        var source = s.GetProperty("source");
        Assert.Equal("synthetic", source.GetProperty("kind").GetString());
        Assert.Equal("streaming", source.GetProperty("state").GetString());
        Assert.True(source.GetProperty("framesCaptured").GetInt64() > 0);
        var pipeline = s.GetProperty("pipeline");
        Assert.True(pipeline.GetProperty("framesProcessed").GetInt64() > 0);
        Assert.True(pipeline.GetProperty("framesDropped").GetInt64() >= 0);
        Assert.Equal(0, pipeline.GetProperty("failedFrames").GetInt64());
        var latency = pipeline.GetProperty("latencyMs");
        Assert.True(latency.GetProperty("p50").GetDouble() > 0);
        Assert.True(latency.GetProperty("p95").GetDouble() >= latency.GetProperty("p50").GetDouble());
        Assert.Equal(JsonValueKind.Array, s.GetProperty("errors").ValueKind);

        // The whole document, and nothing else, is the typed contract the page and the CLI read.
        var typed = StatusContract.Read(s);
        Assert.Equal(EdgeRuntime.Execution.ExecutionProvider.Cpu, typed.Backbone!.Provider);
        Assert.Null(typed.ActiveHead);
        Assert.Equal(0, typed.Samples!.Total);
        Assert.True(typed.Memory.ResidentMb > 0);
    }

    [Fact]
    public async Task Metrics_are_prometheus_text_with_the_frame_counters()
    {
        await WaitForPredictionAsync();

        using var response = await _host.Client.GetAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("# TYPE edgeruntime_frames_processed_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE edgeruntime_frames_captured_total counter", text, StringComparison.Ordinal);
        Assert.Contains("edgeruntime_frames_dropped_total", text, StringComparison.Ordinal);
        Assert.Contains("edgeruntime_frame_latency_seconds_bucket", text, StringComparison.Ordinal);
        var processed = text.Split('\n').Single(l => l.StartsWith("edgeruntime_frames_processed_total ", StringComparison.Ordinal));
        Assert.True(double.Parse(processed.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture) > 0, processed);
    }

    [Fact]
    public async Task Without_a_head_a_prediction_has_no_label_no_classes_and_head_version_0()
    {
        var prediction = await WaitForPredictionAsync();

        Assert.Equal(JsonValueKind.Null, prediction.GetProperty("label").ValueKind);
        Assert.False(prediction.GetProperty("unknown").GetBoolean());
        Assert.Equal(0, prediction.GetProperty("topK").GetArrayLength());
        Assert.Equal(0, prediction.GetProperty("headVersion").GetInt32());
        Assert.True(prediction.GetProperty("latencyMs").GetDouble() > 0);
    }

    [Fact]
    public async Task The_live_frame_is_a_jpeg()
    {
        await WaitForPredictionAsync();

        using var response = await _host.Client.GetAsync(new Uri("/frame.jpg", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xFF, 0xD8], bytes[..2]);
    }

    private Task<JsonElement> WaitForPredictionAsync() =>
        Poll.UntilValueAsync(
            async () =>
            {
                using var response = await _host.Client.GetAsync(new Uri("/predictions/latest", UriKind.Relative));
                return response.StatusCode == HttpStatusCode.OK ? (JsonElement?)await response.Content.ReadFromJsonAsync<JsonElement>() : null;
            },
            Patience,
            "a first prediction");
}
