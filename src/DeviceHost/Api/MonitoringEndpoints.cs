using DeviceHost.Pipeline;
using DeviceHost.Sources;
using Prometheus;

namespace DeviceHost.Api;

/// <summary>Read-only endpoints: health, readiness, status, metrics, the live frame and predictions.</summary>
public static class MonitoringEndpoints
{
    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/healthz", () => Results.Ok(new { status = "alive" }));
        app.MapGet("/readyz", (BackboneService backbone, SupervisedFrameSource source) =>
        {
            var state = source.Status.State;
            bool ready = backbone.IsReady && state == FrameSourceState.Streaming;
            return Results.Json(new { ready, backbone = backbone.IsReady, source = state }, statusCode: ready ? 200 : 503);
        });
        app.MapGet("/status", (StatusReport report) => Results.Json(report.Build()));
        app.MapMetrics("/metrics", app.Services.GetRequiredService<PipelineMetrics>().Registry);
        app.MapGet("/frame.jpg", (LatestFrame latest) =>
            latest.Encode() is { } jpeg
                ? Results.File(jpeg, "image/jpeg")
                : Results.Problem(title: "No frame yet", detail: "The camera has not delivered a frame yet.", statusCode: 404));
        app.MapGet("/predictions/latest", (PredictionFeed feed) =>
            feed.Latest is { } latest
                ? Results.Json(PredictionDto.From(latest))
                : Results.Problem(title: "No prediction yet", detail: "No frame has been classified yet.", statusCode: 404));
        app.MapGet("/predictions", (PredictionFeed feed, int? limit) =>
            Results.Json(feed.Recent(Math.Clamp(limit ?? 50, 1, 1000)).Select(PredictionDto.From)));
    }
}
