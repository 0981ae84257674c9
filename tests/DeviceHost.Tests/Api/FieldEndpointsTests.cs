using System.Net;
using System.Runtime.Versioning;
using System.Text.Json;
using DeviceHost.Tests.Hosting;
using EdgeRuntime.TestSupport;
using EdgeRuntime.TestSupport.Images;

namespace DeviceHost.Tests.Api;

/// <summary>
/// Novelty, drift, the review queue and adaptation over HTTP against the real host: a head on two generated families
/// watches a synthetic scene it never saw.
/// </summary>
[SupportedOSPlatform("linux")]
[Collection(DeviceHostCollection.Name)]
public sealed class FieldEndpointsTests : IAsyncLifetime
{
    private DeviceHostRunner _host = null!;

    private HttpClient Api => _host.AuthorizedClient;

    public async Task InitializeAsync()
    {
        _host = await DeviceHostRunner.StartAsync(new Dictionary<string, string?>
        {
            ["Calibration:AugmentedViews"] = "0",
            ["Review:MaxPerMinute"] = "30",
            ["Calibration:Adaptation:MinimumFrames"] = "16",
            ["Calibration:Adaptation:MaxImages"] = "20",
        });
        await Api.UploadSamplesAsync("stripes", ImageFamily.Stripes, 8, seed: 1);
        await Api.UploadSamplesAsync("rings", ImageFamily.Rings, 8, seed: 2);
        var job = await Api.WaitForJobAsync(await Api.StartTrainingAsync(), TimeSpan.FromMinutes(3));
        Assert.True(job.GetProperty("state").GetString() == "succeeded", job.ToString());
        await Api.WaitForPredictionAsync(p => p.GetProperty("headVersion").GetInt32() == 1, "a prediction of head v1");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Predictions_carry_novelty_status_carries_drift_and_queued_frames_are_assigned_or_discarded_in_bulk()
    {
        var prediction = await Api.WaitForPredictionAsync(p => p.GetProperty("novelty").ValueKind == JsonValueKind.Number, "a prediction with novelty");
        var status = StatusContract.Read(await Api.GetJsonAsync("/status"));
        Assert.NotNull(status.Drift);
        Assert.Contains(status.Drift!.Statistics, s => s.Name == "embeddingShift");
        Assert.Equal(EdgeRuntime.Drift.DriftOptions.MinimumWindowFrames, status.Drift.MinimumFrames);
        Assert.True(prediction.GetProperty("novelty").GetSingle() >= 0);

        var queued = await Poll.UntilValueAsync(async () =>
        {
            var review = await Api.GetJsonAsync("/review");
            return review.GetProperty("items").GetArrayLength() >= 3 ? review : (JsonElement?)null;
        }, TimeSpan.FromMinutes(2), "three frames in the review queue");
        var ids = queued.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToList();
        using (var image = await _host.Client.GetAsync(HostApi.Path($"/review/{ids[0]}/image")))
        {
            Assert.Equal("image/jpeg", image.Content.Headers.ContentType?.MediaType);
        }

        var assigned = await Api.PostJsonAsync("/review/assign", JsonSerializer.Serialize(new { ids = ids.Take(2), label = "scene" }));
        var discarded = await Api.PostJsonAsync("/review/discard", JsonSerializer.Serialize(new { ids = ids.Skip(2).Take(1) }));
        using var missing = await Api.PostAsync(HostApi.Path("/review/discard"), HostApi.Json(JsonSerializer.Serialize(new { ids = ids.Take(1) })));

        Assert.Equal(2, assigned.GetProperty("assigned").GetInt32());
        Assert.Equal(1, discarded.GetProperty("discarded").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var samples = await Api.GetJsonAsync("/samples?label=scene&limit=10");
        Assert.Equal(2, samples.GetProperty("total").GetInt32());
        Assert.All(samples.GetProperty("items").EnumerateArray(), s => Assert.Equal("review", s.GetProperty("source").GetString()));
        var left = (await Api.GetJsonAsync("/review")).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()).ToList();
        Assert.DoesNotContain(ids[0], left);
        Assert.DoesNotContain(ids[1], left);
        Assert.DoesNotContain(ids[2], left);
    }

    [Fact]
    public async Task Adapt_refuses_a_missing_folder_and_a_second_run_at_once_adapts_to_live_frames_and_rolls_back()
    {
        using var badFolder = await Api.PostAsync(HostApi.Path("/adapt"), HostApi.Json("""{"folder":"/nonexistent/frames"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, badFolder.StatusCode);

        var first = Api.PostAsync(HostApi.Path("/adapt"), HostApi.Json("""{"frames":64,"force":true}"""));
        var second = Api.PostAsync(HostApi.Path("/adapt"), HostApi.Json("""{"frames":64,"force":true}"""));
        using var a = await first;
        using var b = await second;
        var codes = new[] { a.StatusCode, b.StatusCode };
        Assert.Contains(HttpStatusCode.OK, codes);
        Assert.True(codes.All(c => c is HttpStatusCode.OK or HttpStatusCode.Conflict), string.Join(", ", codes));

        // The second request may arrive after the first finished; then both adapt (v2, then v3 from v2) and rollback
        // returns to v2. Only overlapping requests must be refused.
        var outcomes = new List<JsonElement>();
        foreach (var response in new[] { a, b }.Where(r => r.StatusCode == HttpStatusCode.OK))
        {
            outcomes.Add(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
        }

        var latest = outcomes.MaxBy(o => o.GetProperty("version").GetInt32());
        int version = latest.GetProperty("version").GetInt32();
        Assert.All(outcomes, o => Assert.Equal("live", o.GetProperty("evidence").GetProperty("source").GetString()));
        await Api.WaitForPredictionAsync(p => p.GetProperty("headVersion").GetInt32() == version, "a prediction of the adapted head");
        var rollback = await Api.PostJsonAsync("/heads/rollback");
        Assert.Equal(outcomes.Count == 1 ? 1 : version - 1, rollback.GetProperty("version").GetInt32());

        // A folder bigger than Calibration:Adaptation:MaxImages: 20 of its 30 images are used, and the evidence says so.
        using var folder = new TestDirectory("adapt-folder");
        SyntheticImages.WriteImageFolder(folder.Path, [ImageFamily.Stripes, ImageFamily.Rings], 15, seed: 7);
        var capped = await Api.PostJsonAsync("/adapt", JsonSerializer.Serialize(new { folder = folder.Path, force = true }));
        var evidence = capped.GetProperty("evidence");
        Assert.Equal("folder", evidence.GetProperty("source").GetString());
        Assert.Equal(20, evidence.GetProperty("frames").GetInt32());
        Assert.Equal(30, evidence.GetProperty("imagesFound").GetInt32());
    }
}
