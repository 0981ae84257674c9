using System.Net;
using System.Runtime.Versioning;
using System.Text.Json;
using DeviceHost.Api;
using DeviceHost.Tests.Hosting;
using Xunit.Abstractions;

namespace DeviceHost.Tests.Api;

/// <summary>
/// The technician's whole job over HTTP against the real host: capture frames of two synthetic scenes, train, see
/// predictions follow the scene, train a second head, roll back to the first, activate the second again.
/// </summary>
[SupportedOSPlatform("linux")]
[Collection(DeviceHostCollection.Name)]
public sealed class CalibrationFlowTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int SamplesPerScene = 8;
    private static readonly TimeSpan TrainingPatience = TimeSpan.FromSeconds(180);
    private DeviceHostRunner _host = null!;

    private HttpClient Api => _host.AuthorizedClient;

    // One augmented view per sample keeps training short on a shared 2-core machine; the flow is the same.
    public async Task InitializeAsync() => _host = await DeviceHostRunner.StartAsync(new Dictionary<string, string?> { ["Calibration:AugmentedViews"] = "1" });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Captured_scenes_train_a_head_whose_predictions_follow_the_scene_and_rollback_restores_the_first_head()
    {
        await CaptureSceneAsync("stripes", SamplesPerScene);
        await CaptureSceneAsync("checker", SamplesPerScene);
        var classes = await Api.GetJsonAsync("/classes");
        Assert.Equal(["checker", "stripes"], classes.EnumerateArray().Select(c => c.GetProperty("label").GetString()).Order(StringComparer.Ordinal));
        Assert.All(classes.EnumerateArray(), c => Assert.Equal(SamplesPerScene, c.GetProperty("train").GetInt32() + c.GetProperty("holdout").GetInt32()));
        var stripes = await Api.GetJsonAsync("/samples?label=stripes&limit=100");
        Assert.Equal(SamplesPerScene, stripes.GetProperty("total").GetInt32());
        using (var image = await _host.Client.GetAsync(HostApi.Path($"/samples/{stripes.GetProperty("items")[0].GetProperty("id").GetInt64()}/image")))
        {
            Assert.Equal(HttpStatusCode.OK, image.StatusCode);
            Assert.StartsWith("image/", image.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        }


        var first = await TrainAsync("""{"note":"first calibration"}""");
        Assert.Equal(1, first.GetProperty("version").GetInt32());
        Assert.Equal("activated", first.GetProperty("gate").GetProperty("outcome").GetString());
        var status = await Api.GetJsonAsync("/status");
        Assert.False(status.GetProperty("needsCalibration").GetBoolean());
        Assert.Equal(1, status.GetProperty("activeHead").GetProperty("version").GetInt32());
        var typed = StatusContract.Read(status);
        Assert.Equal(1, typed.ActiveHead!.Summary!.Version);
        Assert.True(typed.ActiveHead.Summary.Active);
        Assert.Equal(typed.ActiveHead.Accuracy, typed.ActiveHead.Metrics!.Accuracy);
        Assert.Equal(["checker", "stripes"], typed.Samples!.Classes.Select(c => c.Label));
        Assert.Equal(2 * SamplesPerScene, typed.Samples.Total);
        Assert.Equal(DeviceHost.Calibration.TrainingJobState.Succeeded, typed.Training!.State);

        await AssertPredictionsFollowSceneAsync("stripes", headVersion: 1);
        await AssertPredictionsFollowSceneAsync("checker", headVersion: 1);
        await AssertPredictionsFollowSceneAsync("stripes", headVersion: 1);

        await CaptureSceneAsync("gradient", SamplesPerScene);
        var second = await TrainAsync("""{"force":true,"note":"third scene"}""");
        Assert.Equal(2, second.GetProperty("version").GetInt32());
        Assert.Equal("activated", second.GetProperty("gate").GetProperty("outcome").GetString());
        await AssertPredictionsFollowSceneAsync("gradient", headVersion: 2);
        var heads = StatusContract.Read<HeadList>(await Api.GetJsonAsync("/heads"));
        Assert.Equal(2, heads.Active);
        Assert.Equal(1, heads.RollbackTarget);
        Assert.Equal([2, 1], heads.Items.Select(h => h.Version));
        Assert.True(heads.Items[0].Active);

        var rollback = await Api.PostJsonAsync("/heads/rollback");
        Assert.Equal(1, rollback.GetProperty("version").GetInt32());
        await Api.WaitForPredictionAsync(p => p.GetProperty("headVersion").GetInt32() == 1, "a prediction of the rolled-back head v1");
        await AssertPredictionsFollowSceneAsync("checker", headVersion: 1);
        Assert.Equal(1, (await Api.GetJsonAsync("/heads")).GetProperty("active").GetInt32());

        await Api.PostJsonAsync("/heads/2/activate");
        await Api.WaitForPredictionAsync(p => p.GetProperty("headVersion").GetInt32() == 2, "a prediction of the re-activated head v2");
        using var report = await _host.Client.GetAsync(HostApi.Path("/heads/2/report"));
        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        Assert.Equal("text/html", report.Content.Headers.ContentType?.MediaType);
    }

    private async Task SwitchSceneAsync(string scene)
    {
        var answer = await Api.PostJsonAsync("/source/scene", JsonSerializer.Serialize(new { scene }));
        Assert.Equal(scene, answer.GetProperty("scene").GetString(), ignoreCase: true);

        // Frames already in flight show the old scene; one captured a little later cannot.
        await Api.WaitForFrameAfterAsync(DateTimeOffset.UtcNow.AddMilliseconds(250));
    }

    private async Task CaptureSceneAsync(string scene, int count)
    {
        await SwitchSceneAsync(scene);
        var last = DateTimeOffset.MinValue;
        for (var i = 0; i < count; i++)
        {
            // Each capture labels a frame newer than the last one captured (the synthetic frames all differ); the
            // current frame may already be newer than the last prediction seen, so wait past the captured one.
            await Api.WaitForFrameAfterAsync(last);
            using var content = HostApi.Json(JsonSerializer.Serialize(new { label = scene }));
            using var response = await Api.PostAsync(HostApi.Path("/samples"), content);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Created, body);
            using var sample = JsonDocument.Parse(body);
            Assert.Equal(scene, sample.RootElement.GetProperty("sample").GetProperty("label").GetString());
            Assert.Equal("camera", sample.RootElement.GetProperty("sample").GetProperty("source").GetString());
            last = DateTimeOffset.Parse(sample.RootElement.GetProperty("sample").GetProperty("capturedAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    private async Task<JsonElement> TrainAsync(string body)
    {
        using var content = HostApi.Json(body);
        using var response = await Api.PostAsync(HostApi.Path("/train"), content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, text);
        using var accepted = JsonDocument.Parse(text);
        var jobId = accepted.RootElement.GetProperty("jobId").GetString()!;
        Assert.Equal($"/jobs/{jobId}", response.Headers.Location?.OriginalString);

        var job = await Api.WaitForJobAsync(jobId, TrainingPatience);
        Assert.True(job.GetProperty("state").GetString() == "succeeded", job.ToString());
        Assert.NotEmpty(job.GetProperty("epochs").EnumerateArray());

        // What the page and the CLI read is the typed job record, field for field.
        var typed = StatusContract.Read<JobStatus>(job);
        Assert.Equal(jobId, typed.Id);
        Assert.Equal($"/heads/{typed.Result!.Version}/report", typed.Result.ReportUrl);
        Assert.NotNull(typed.Result.Recipe);
        output.WriteLine($"job {jobId}: {job.GetProperty("epochs").GetArrayLength()} epochs, {job.GetProperty("startedAt")} .. {job.GetProperty("finishedAt")}");
        return job.GetProperty("result");
    }

    private async Task AssertPredictionsFollowSceneAsync(string scene, int headVersion)
    {
        await SwitchSceneAsync(scene);
        var since = DateTimeOffset.UtcNow;
        var seen = new List<JsonElement>();
        while (seen.Count < 3)
        {
            var prediction = await Api.WaitForFrameAfterAsync(seen.Count == 0 ? since : HostApi.FrameTime(seen[^1]));
            seen.Add(prediction);
        }

        Assert.All(seen, p =>
        {
            Assert.Equal(headVersion, p.GetProperty("headVersion").GetInt32());
            Assert.Equal(scene, p.GetProperty("topK")[0].GetProperty("label").GetString());
        });
    }
}
