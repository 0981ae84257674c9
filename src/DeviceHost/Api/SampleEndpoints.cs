using EdgeRuntime.Imaging;
using DeviceHost.Calibration;
using DeviceHost.Pipeline;
using EdgeRuntime.Samples;
using Microsoft.Extensions.Options;

namespace DeviceHost.Api;

/// <summary>Classes and samples: list, create, rename, delete, capture the live frame, upload an image.</summary>
public static class SampleEndpoints
{
    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/classes", (CalibrationService calibration) =>
            Results.Json(calibration.Workspace.ClassCounts().Select(ClassSamples.From)));
        var mutating = app.MapGroup("").AddEndpointFilter<RequireTokenFilter>();
        mutating.MapPost("/classes", async (HttpRequest request, CalibrationService calibration) =>
        {
            var (body, problem) = await ApiProblems.ReadJsonAsync<LabelRequest>(request).ConfigureAwait(false);
            if (problem is not null)
            {
                return problem;
            }

            calibration.Workspace.DeclareClass(body!.Label ?? "");
            var label = SampleLabels.Normalize(body.Label);
            return Results.Created($"/classes/{Uri.EscapeDataString(label)}", new { label, train = 0, holdout = 0 });
        });
        mutating.MapPut("/classes/{label}", async (string label, HttpRequest request, CalibrationService calibration) =>
        {
            var (body, problem) = await ApiProblems.ReadJsonAsync<RenameRequest>(request).ConfigureAwait(false);
            if (problem is not null)
            {
                return problem;
            }

            int moved = calibration.Workspace.RenameClass(label, body!.NewLabel ?? "");
            return Results.Ok(new { label = SampleLabels.Normalize(body.NewLabel), samples = moved });
        });
        mutating.MapDelete("/classes/{label}", (string label, CalibrationService calibration) =>
        {
            var normalized = SampleLabels.Normalize(label);
            return calibration.Workspace.DeleteClass(normalized) ? Results.NoContent() : ApiProblems.NotFound($"There is no class '{normalized}'.");
        });
        mutating.MapPost("/samples", AddSampleAsync);
        app.MapGet("/samples", (CalibrationService calibration, string? label, int? offset, int? limit) =>
        {
            var workspace = calibration.Workspace;
            var counts = workspace.ClassCounts();
            int total = label is null ? counts.Sum(c => c.Total) : counts.FirstOrDefault(c => c.Label == label)?.Total ?? 0;
            var items = workspace.ListSamples(Math.Max(offset ?? 0, 0), Math.Clamp(limit ?? 50, 1, 1000), label);
            return Results.Json(new { total, items = items.Select(SampleDto.From) });
        });
        app.MapGet("/samples/{id:long}/image", (long id, CalibrationService calibration) =>
        {
            var workspace = calibration.Workspace;
            if (workspace.FindSample(id) is not { } sample)
            {
                return ApiProblems.NotFound($"There is no sample {id}.");
            }

            try
            {
                return Results.Stream(File.OpenRead(workspace.ImagePathOf(sample)), ImageFormats.ContentType(sample.Format));
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                // Deleted in between, or removed behind the store's back: the open-time recovery quarantines the row.
                return ApiProblems.NotFound($"The image file of sample {id} is missing on the device.");
            }
        });
        mutating.MapDelete("/samples/{id:long}", (long id, CalibrationService calibration) =>
            calibration.Workspace.DeleteSample(id) ? Results.NoContent() : ApiProblems.NotFound($"There is no sample {id}."));
    }

    private static async Task<IResult> AddSampleAsync(HttpRequest request, CalibrationService calibration, LatestFrame latest, IOptions<ApiOptions> api)
    {
        var workspace = calibration.Workspace;
        if (request.HasFormContentType)
        {
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is InvalidDataException or InvalidOperationException or (IOException and not BadHttpRequestException))
            {
                // A missing boundary or a truncated or garbled body is the client's mistake, not a server error.
                return ApiProblems.BadRequest($"The multipart body cannot be read: {ex.Message}");
            }

            var file = form.Files.GetFile("file");
            string? formLabel = form["label"];
            if (file is null || file.Length == 0)
            {
                return ApiProblems.BadRequest("The upload needs a non-empty 'file' part and a 'label' field.");
            }

            if (file.Length > api.Value.MaxUploadBytes)
            {
                return Results.Problem(title: "Upload too large", detail: $"The image is {file.Length} bytes; the limit is {api.Value.MaxUploadBytes}.", statusCode: StatusCodes.Status413PayloadTooLarge);
            }

            using var buffer = new MemoryStream((int)file.Length);
            await file.CopyToAsync(buffer, request.HttpContext.RequestAborted).ConfigureAwait(false);
            var bytes = buffer.ToArray();

            // From the header, before anything decodes it: a small file can declare billions of pixels.
            ImageDecoder.CheckHeader(bytes, file.FileName, api.Value.MaxUploadPixels);
            var added = workspace.AddSample(bytes, formLabel ?? "", SampleSource.Upload, file.FileName);
            return Created(added);
        }

        if (!request.HasJsonContentType())
        {
            return Results.Problem(
                title: "Unsupported media type",
                detail: "Send application/json {\"label\"} to label the current frame, or multipart/form-data with 'label' and 'file' to upload an image.",
                statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        var (body, problem) = await ApiProblems.ReadJsonAsync<LabelRequest>(request).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var label = SampleLabels.Normalize(body!.Label);
        if (latest.Snapshot() is not { } frame)
        {
            return ApiProblems.NotFound("There is no camera frame to label yet.");
        }

        return Created(workspace.AddSample(frame.Image, label, SampleSource.Camera, "current frame", frame.Embedding, frame.CapturedAt));
    }

    private static IResult Created(AddSampleResult added) =>
        Results.Json(new { sample = SampleDto.From(added.Sample), duplicate = added.IsDuplicate }, statusCode: added.IsDuplicate ? StatusCodes.Status200OK : StatusCodes.Status201Created);
}
