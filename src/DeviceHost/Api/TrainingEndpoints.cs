using System.Globalization;
using DeviceHost.Calibration;
using EdgeRuntime.Calibration;
using EdgeRuntime.Heads;
using EdgeRuntime.Training;

namespace DeviceHost.Api;

/// <summary>POST /train starts a background job; GET /jobs/{id} follows it.</summary>
public static class TrainingEndpoints
{
    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/train", async (HttpRequest request, TrainingJobRunner runner) =>
        {
            var (body, problem) = await ApiProblems.ReadJsonAsync<TrainApiRequest>(request, optional: true).ConfigureAwait(false);
            if (problem is not null)
            {
                return problem;
            }

            HeadKind? kind = null;
            if (body?.HeadKind is { Length: > 0 } name)
            {
                if (!Enum.TryParse<HeadKind>(name, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
                {
                    return ApiProblems.BadRequest($"headKind must be 'linear' or 'hidden', not '{name}'.");
                }

                kind = parsed;
            }

            var train = new TrainRequest { HeadKind = kind, Force = body?.Force ?? false, Note = body?.Note, Instant = body?.Instant ?? false, Source = HeadTriggerSource.Api };
            if (train.Problem() is { } invalid)
            {
                return ApiProblems.BadRequest(invalid);
            }

            var job = runner.Start(train);
            return Results.Accepted(string.Create(CultureInfo.InvariantCulture, $"/jobs/{job.Id}"), new { jobId = job.Id });
        }).AddEndpointFilter<RequireTokenFilter>();
        app.MapGet("/jobs/current", (TrainingJobRunner runner) =>
            runner.Current is { } job ? Results.Json(JobStatus.From(job)) : ApiProblems.NotFound("No training job has run since the service started."));
        app.MapGet("/jobs/{id}", (string id, TrainingJobRunner runner) =>
            runner.Find(id) is { } job ? Results.Json(JobStatus.From(job)) : ApiProblems.NotFound($"There is no job '{id}'."));
    }
}
