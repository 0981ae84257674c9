using System.Globalization;
using DeviceHost.Api;
using DeviceHost.Calibration;
using EdgeRuntime.Adaptation;
using EdgeRuntime.Heads;
using EdgeRuntime.Samples;

namespace DeviceHost.Field;

/// <summary>Drift, the hard-sample review queue and unsupervised adaptation (see docs/http-api.md).</summary>
public static class FieldEndpoints
{
    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/drift", (FieldWatch watch) => Results.Json(DriftStatus.From(watch)));
        app.MapGet("/drift/frames/{index:int}", (int index, FieldWatch watch) =>
            watch.Examples is var examples && index >= 0 && index < examples.Count
                ? Results.File(examples[index], "image/jpeg")
                : ApiProblems.NotFound($"There is no example frame {index.ToString(CultureInfo.InvariantCulture)}."));
        app.MapGet("/review", (FieldWatch watch) => Results.Json(new { items = watch.Queue.List(), statistics = watch.Queue.Statistics() }));
        app.MapGet("/review/{id}/image", (string id, FieldWatch watch) =>
            watch.Queue.Image(id) is { } jpeg ? Results.File(jpeg, "image/jpeg") : ApiProblems.NotFound($"'{id}' is not in the review queue."));

        var mutating = app.MapGroup("").AddEndpointFilter<RequireTokenFilter>();
        mutating.MapPost("/review/assign", async (HttpRequest request, FieldWatch watch, CalibrationService calibration) =>
        {
            var (body, problem) = await ApiProblems.ReadJsonAsync<ReviewRequest>(request).ConfigureAwait(false);
            if (problem is not null || body?.Ids is not { Count: > 0 } ids || string.IsNullOrWhiteSpace(body.Label))
            {
                return problem ?? ApiProblems.BadRequest("Give 'ids' (at least one queued frame) and the 'label' to assign them.");
            }

            var workspace = calibration.Workspace;
            int assigned = watch.Queue.Assign(ids, s =>
            {
                try
                {
                    workspace.AddSample(s.Jpeg, body.Label, SampleSource.Review, $"review-{s.Item.Id}.jpg", s.Embedding, s.Item.CapturedUtc);
                }
                catch (DuplicateImageException)
                {
                    // Already a sample: assigned in effect, and it must leave the queue.
                }
            });
            return Results.Json(new { assigned, label = body.Label });
        });
        mutating.MapPost("/review/discard", async (HttpRequest request, FieldWatch watch) =>
        {
            var (body, problem) = await ApiProblems.ReadJsonAsync<ReviewRequest>(request).ConfigureAwait(false);
            if (problem is not null || body?.Ids is not { Count: > 0 } ids)
            {
                return problem ?? ApiProblems.BadRequest("Give 'ids': at least one queued frame to discard.");
            }

            return Results.Json(new { discarded = watch.Queue.Discard(ids) });
        });
        mutating.MapPost("/adapt", async (HttpRequest request, FieldWatch watch, CalibrationService calibration, CancellationToken cancellationToken) =>
        {
            var (body, problem) = await ApiProblems.ReadJsonAsync<AdaptApiRequest>(request, optional: true).ConfigureAwait(false);
            if (problem is not null)
            {
                return problem;
            }

            var workspace = calibration.Workspace;
            var options = workspace.Options.Adaptation;
            float[] frames;
            string source;
            int? found = null;
            if (body?.Folder is { Length: > 0 } folder)
            {
                var embedded = workspace.EmbedFolder(folder, cancellationToken);
                (frames, found) = (embedded.Embeddings, embedded.Found);
                source = "folder";
            }
            else
            {
                try
                {
                    frames = watch.LiveFrames(body?.Frames ?? options.MaximumFrames, options.MinimumFrames);
                }
                catch (LiveFramesUnavailableException ex)
                {
                    return ex.Stalled ? ApiProblems.Conflict(ex.Message) : ApiProblems.BadRequest(ex.Message);
                }

                source = "live";
            }

            var request2 = new AdaptRequest(frames, source, body?.Coral, body?.Force ?? false) { Trigger = HeadTriggerSource.Api, Note = body?.Note, ImagesFound = found };
            var outcome = await Task.Run(() => workspace.Adapt(request2, cancellationToken), cancellationToken).ConfigureAwait(false);
            calibration.ReloadActiveHead();
            return Results.Json(outcome);
        });
    }
}
