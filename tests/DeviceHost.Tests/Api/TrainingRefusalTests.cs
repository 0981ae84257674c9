using System.Net;
using System.Runtime.Versioning;
using System.Text.Json;
using DeviceHost.Tests.Hosting;
using EdgeRuntime.Calibration;
using EdgeRuntime.Samples;
using EdgeRuntime.TestSupport;
using EdgeRuntime.TestSupport.Images;

namespace DeviceHost.Tests.Api;

/// <summary>POST /train refuses a data set the trainer cannot use, up front and in the trainer's words.</summary>
[SupportedOSPlatform("linux")]
[Collection(DeviceHostCollection.Name)]
public sealed class TrainingRefusalTests : IDisposable
{
    private readonly TestDirectory _data = new("edgeruntime-training-refusal");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task A_single_class_is_refused_with_the_trainers_message_and_no_job_starts()
    {
        await using var host = await DeviceHostRunner.StartAsync(TrainingJobTests.EndlessTraining, _data.Path);
        await host.AuthorizedClient.UploadSamplesAsync("stripes", ImageFamily.Stripes, count: 3, seed: 1);

        using var response = await host.AuthorizedClient.PostAsync(HostApi.Path("/train"), HostApi.Json("{}"));

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        var expected = TrainingReadiness.Problem([new ClassCount("stripes", 2, 1)]);
        Assert.Equal(expected, JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString());
        using var current = await host.Client.GetAsync(HostApi.Path("/jobs/current"));
        Assert.Equal(HttpStatusCode.NotFound, current.StatusCode);
    }
}
