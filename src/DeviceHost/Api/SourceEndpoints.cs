using DeviceHost.Sources;
using Microsoft.AspNetCore.Mvc;

namespace DeviceHost.Api;

/// <summary>Controls of the frame source that make sense remotely: the synthetic demo's scene.</summary>
public static class SourceEndpoints
{
    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/source/scene", async (HttpRequest request, [FromServices] SyntheticSceneControl scenes, [FromServices] SupervisedFrameSource source) =>
        {
            var (body, problem) = await ApiProblems.ReadJsonAsync<SceneRequest>(request).ConfigureAwait(false);
            if (problem is not null)
            {
                return problem;
            }

            if (source.Status.Kind != FrameSourceKind.Synthetic)
            {
                return ApiProblems.Conflict($"The source is {source.Status.Kind}, not the synthetic demo; it has no scenes.");
            }

            if (!SyntheticSceneControl.TryParse(body!.Scene, out var scene))
            {
                return ApiProblems.BadRequest($"Unknown scene '{body.Scene}'; scenes are {string.Join(", ", SyntheticSceneControl.Names)}.");
            }

            scenes.Scene = scene;
            return Results.Ok(new { scene });
        }).AddEndpointFilter<RequireTokenFilter>();
    }
}
