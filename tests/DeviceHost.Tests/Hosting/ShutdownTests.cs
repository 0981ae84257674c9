using System.Runtime.Versioning;
using DeviceHost.Tests.Api;
using EdgeRuntime.Execution;
using EdgeRuntime.Heads;
using EdgeRuntime.Inference;
using EdgeRuntime.Samples;
using EdgeRuntime.TestSupport;
using EdgeRuntime.TestSupport.Images;
using Microsoft.Extensions.Logging.Abstractions;

namespace DeviceHost.Tests.Hosting;

/// <summary>
/// <c>edgeruntime run</c> as systemd runs it, as a separate process: SIGTERM in the middle of a training job stops it
/// cleanly with exit code 0, and the data directory it leaves opens consistent.
/// </summary>
[SupportedOSPlatform("linux")]
[Collection(DeviceHostCollection.Name)]
public sealed class ShutdownTests : IDisposable
{
    /// <summary>The host's shutdown timeout (15 s) plus time for the runtime to tear down.</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);
    private readonly TestDirectory _data = new("edgeruntime-sigterm");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Sigterm_during_training_exits_0_and_leaves_a_consistent_data_directory()
    {
        // A first run calibrates a head and stops normally, so the second has an active head to protect.
        using (var first = await DeviceHostRunner.StartChildAsync(_data.Path, new Dictionary<string, string?> { ["Calibration:AugmentedViews"] = "0" }))
        {
            await first.AuthorizedClient.UploadSamplesAsync("stripes", ImageFamily.Stripes, count: 6, seed: 11);
            await first.AuthorizedClient.UploadSamplesAsync("checker", ImageFamily.Checker, count: 6, seed: 12);
            var job = await first.AuthorizedClient.WaitForJobAsync(await first.AuthorizedClient.StartTrainingAsync(), TimeSpan.FromSeconds(120));
            Assert.True(job.GetProperty("state").GetString() == "succeeded", job.ToString());
            first.Terminate();
            Assert.Equal(0, await first.WaitForExitAsync(StopTimeout));
        }

        using var second = await DeviceHostRunner.StartChildAsync(_data.Path, TrainingJobTests.EndlessTraining);
        Assert.Equal(1, (await second.Client.GetJsonAsync("/status")).GetProperty("activeHead").GetProperty("version").GetInt32());
        await second.AuthorizedClient.UploadSamplesAsync("blobs", ImageFamily.Blobs, count: 6, seed: 13);
        var jobId = await second.AuthorizedClient.StartTrainingAsync();
        await Poll.UntilTrueAsync(
            async () => (await second.Client.GetJsonAsync($"/jobs/{jobId}")).GetProperty("epochs").GetArrayLength() > 0,
            TimeSpan.FromSeconds(60),
            "the job to finish its first epoch");

        second.Terminate();

        var exitCode = await second.WaitForExitAsync(StopTimeout);
        Assert.True(exitCode == 0, $"exit code {exitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none (still running)"}:\n{second.Output}");
        AssertConsistent(expectedSamples: 18, expectedActive: 1);
    }

    private void AssertConsistent(int expectedSamples, int expectedActive)
    {
        using (var store = new SampleStore(_data.Path, new SampleStoreOptions(), NullLogger<SampleStore>.Instance))
        {
            Assert.True(store.OpenReport.IsClean, store.OpenReport.ToString());
            var samples = store.ListRecent(0, 1000);
            Assert.Equal(expectedSamples, samples.Count);
            Assert.All(samples, s => Assert.True(File.Exists(store.GetImagePath(s)), $"sample {s.Id} has no image"));
        }

        using var registry = new HeadRegistry(_data.Path, NullLogger<HeadRegistry>.Instance);
        Assert.Equal(expectedActive, registry.ActiveVersion);
        Assert.Equal([expectedActive], registry.List().Select(v => v.Version));
        var resolution = registry.ResolveActive();
        Assert.Empty(resolution.Refused);
        var head = resolution.Head!;
        Assert.Equal(expectedActive, head.Version);
        var factory = new OrtSessionFactory(new ExecutionOptions(), NullLogger<OrtSessionFactory>.Instance);
        using var classifier = new HeadClassifier(head.HeadOnnx.ToArray(), head.Manifest.Labels, head.Manifest.EmbeddingDimension, 0.5f, head.Version, factory);
        var prediction = classifier.Classify(new float[head.Manifest.EmbeddingDimension], 2, DateTimeOffset.UtcNow, TimeSpan.Zero);
        Assert.Equal(2, prediction.TopK.Count);
    }
}
