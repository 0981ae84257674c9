using System.Net;
using System.Runtime.Versioning;
using DeviceHost.Calibration;
using DeviceHost.Tests.Hosting;
using EdgeRuntime.TestSupport;
using EdgeRuntime.TestSupport.Images;

namespace DeviceHost.Tests.Api;

/// <summary>
/// One training job at a time. The host is configured to train practically forever (early stopping off, a huge epoch
/// budget), so a job is certainly still running when the next request arrives; stopping the host cancels it.
/// </summary>
[SupportedOSPlatform("linux")]
[Collection(DeviceHostCollection.Name)]
public sealed class TrainingJobTests : IAsyncLifetime, IDisposable
{
    private readonly TestDirectory _data = new("edgeruntime-training");
    private DeviceHostRunner _host = null!;

    public async Task InitializeAsync()
    {
        _host = await DeviceHostRunner.StartAsync(EndlessTraining, _data.Path);
        await _host.AuthorizedClient.UploadSamplesAsync("stripes", ImageFamily.Stripes, count: 6, seed: 1);
        await _host.AuthorizedClient.UploadSamplesAsync("checker", ImageFamily.Checker, count: 6, seed: 2);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public void Dispose() => _data.Dispose();

    /// <summary>Settings for a training job that runs until it is cancelled.</summary>
    internal static Dictionary<string, string?> EndlessTraining => new()
    {
        ["Calibration:Epochs"] = "1000000",
        ["Calibration:SoftmaxSteps"] = "1000000000",
        ["Calibration:EarlyStoppingPatience"] = "0",
        ["Calibration:AugmentedViews"] = "0",
    };

    [Fact]
    public async Task A_second_training_request_while_one_runs_is_refused_with_409()
    {
        var jobId = await _host.AuthorizedClient.StartTrainingAsync();

        using var second = await _host.AuthorizedClient.PostAsync(HostApi.Path("/train"), HostApi.Json("{}"));

        var text = await second.Content.ReadAsStringAsync();
        Assert.True(second.StatusCode == HttpStatusCode.Conflict, $"{(int)second.StatusCode}: {text}");
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
        Assert.Contains(jobId, text, StringComparison.Ordinal);
        var current = await _host.Client.GetJsonAsync("/jobs/current");
        Assert.Equal(jobId, current.GetProperty("id").GetString());
        Assert.Contains(current.GetProperty("state").GetString(), new[] { "queued", "running" });
        var training = (await _host.Client.GetJsonAsync("/status")).GetProperty("training");
        Assert.Equal(jobId, training.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Stopping_the_host_cancels_a_running_job_and_stores_no_head()
    {
        var runner = _host.GetService<TrainingJobRunner>();
        var jobId = await _host.AuthorizedClient.StartTrainingAsync();
        await Poll.UntilTrueAsync(
            async () => (await _host.Client.GetJsonAsync($"/jobs/{jobId}")).GetProperty("epochs").GetArrayLength() > 0,
            TimeSpan.FromSeconds(60),
            "the job to finish its first epoch");

        await _host.DisposeAsync();

        var job = runner.Find(jobId)!;
        Assert.Equal(TrainingJobState.Cancelled, job.State);
        Assert.Empty(Directory.GetDirectories(Path.Combine(_host.DataDirectory, "heads")));
    }
}
