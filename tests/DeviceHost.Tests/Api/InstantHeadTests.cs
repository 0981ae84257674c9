using System.Net;
using System.Runtime.Versioning;
using System.Text.Json;
using DeviceHost.Hosting;
using DeviceHost.Tests.Hosting;
using EdgeRuntime;
using EdgeRuntime.TestSupport;
using EdgeRuntime.TestSupport.Images;
using Microsoft.Extensions.Options;

namespace DeviceHost.Tests.Api;

/// <summary>POST /train with "instant": an imprinted head at once, then (by default) a full training the device starts itself.</summary>
[SupportedOSPlatform("linux")]
[Collection(DeviceHostCollection.Name)]
public sealed class InstantHeadTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(300);
    private readonly TestDirectory _data = new("edgeruntime-instant");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task An_instant_head_is_activated_at_once_and_a_full_training_follows_it_through_the_gate()
    {
        // A short softmax budget keeps the follow-up's cross-validation quick on a shared machine; the flow is the same.
        await using var host = await StartWithSamplesAsync(new Dictionary<string, string?> { ["Calibration:AugmentedViews"] = "0", ["Calibration:SoftmaxSteps"] = "40" });

        var instantJob = await host.AuthorizedClient.StartTrainingAsync("""{"instant":true,"note":"new class"}""");
        var instant = await host.Client.WaitForJobAsync(instantJob, Patience);

        Assert.Equal("succeeded", instant.GetProperty("state").GetString());
        var result = instant.GetProperty("result");
        Assert.True(result.GetProperty("recipe").GetProperty("instant").GetBoolean());
        Assert.Equal("Imprinted", result.GetProperty("recipe").GetProperty("family").GetString());
        Assert.True(result.GetProperty("activated").GetBoolean());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("metrics").ValueKind);
        var followUpId = instant.GetProperty("followUpJobId").GetString();
        Assert.False(string.IsNullOrEmpty(followUpId), instant.ToString());
        Assert.Equal(JsonValueKind.Null, instant.GetProperty("followUpSkipped").ValueKind);

        var full = await host.Client.WaitForJobAsync(followUpId!, Patience);
        Assert.Equal("succeeded", full.GetProperty("state").GetString());
        Assert.Equal(instantJob, full.GetProperty("followUpOf").GetString());
        var fullResult = full.GetProperty("result");
        Assert.False(fullResult.GetProperty("recipe").GetProperty("instant").GetBoolean());
        Assert.Equal(2, fullResult.GetProperty("version").GetInt32());

        // The gate compared the new head with the instant v1 on unseen data: v1's leave-one-out predictions.
        Assert.Equal(1, fullResult.GetProperty("activeVersion").GetInt32());
        Assert.Equal(12, fullResult.GetProperty("activeMetrics").GetProperty("total").GetInt32());
        Assert.True(fullResult.GetProperty("activated").GetBoolean(), fullResult.ToString());
        var heads = await host.Client.GetJsonAsync("/heads");
        Assert.Equal(2, heads.GetProperty("active").GetInt32());
        Assert.Equal("full training after instant head v1", heads.GetProperty("items")[0].GetProperty("trigger").GetProperty("note").GetString());
    }

    [Fact]
    public async Task With_the_follow_up_switched_off_the_instant_head_stays_and_no_job_follows()
    {
        await using var host = await StartWithSamplesAsync(new Dictionary<string, string?> { ["Calibration:InstantFollowUp"] = "None" });

        var instantJob = await host.AuthorizedClient.StartTrainingAsync("""{"instant":true}""");
        var instant = await host.Client.WaitForJobAsync(instantJob, Patience);

        Assert.Equal("succeeded", instant.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, instant.GetProperty("followUpJobId").ValueKind);
        Assert.Equal(instantJob, (await host.Client.GetJsonAsync("/jobs/current")).GetProperty("id").GetString());
        Assert.Equal(1, (await host.Client.GetJsonAsync("/heads")).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task A_class_with_a_single_sample_gets_an_instant_head_and_the_follow_up_says_why_it_waits()
    {
        await using var host = await StartWithSamplesAsync(null);
        await host.AuthorizedClient.UploadSamplesAsync("rings", ImageFamily.Rings, count: 1, seed: 3);

        var instant = await host.Client.WaitForJobAsync(await host.AuthorizedClient.StartTrainingAsync("""{"instant":true}"""), Patience);

        Assert.True(instant.GetProperty("result").GetProperty("activated").GetBoolean());
        Assert.Equal(JsonValueKind.Null, instant.GetProperty("followUpJobId").ValueKind);
        Assert.Contains("'rings' have a single sample", instant.GetProperty("followUpSkipped").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_instant_request_with_a_head_kind_is_refused_with_400()
    {
        await using var host = await StartWithSamplesAsync(null);

        using var response = await host.AuthorizedClient.PostAsync(HostApi.Path("/train"), HostApi.Json("""{"instant":true,"headKind":"hidden"}"""));

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        Assert.Contains("applies only to a full training", text, StringComparison.Ordinal);
        using var current = await host.Client.GetAsync(HostApi.Path("/jobs/current"));
        Assert.Equal(HttpStatusCode.NotFound, current.StatusCode);
    }

    [Theory]
    [InlineData("7")]
    [InlineData("Sometimes")]
    public void An_unknown_follow_up_stops_the_start_naming_the_key(string value)
    {
        using var data = new TestDirectory("instant-options");

        var error = Assert.ThrowsAny<Exception>(() => DeviceHostBuilder.Build(null, data.Path, new Dictionary<string, string?> { ["Calibration:InstantFollowUp"] = value }));

        Assert.True(error is OptionsValidationException or InvalidOperationException or EdgeRuntimeException, error.ToString());
        Assert.Contains("Calibration:InstantFollowUp", error.Message, StringComparison.Ordinal);
    }

    private async Task<DeviceHostRunner> StartWithSamplesAsync(Dictionary<string, string?>? settings)
    {
        var host = await DeviceHostRunner.StartAsync(settings ?? new Dictionary<string, string?> { ["Calibration:AugmentedViews"] = "0" }, _data.Path);
        await host.AuthorizedClient.UploadSamplesAsync("stripes", ImageFamily.Stripes, count: 6, seed: 1);
        await host.AuthorizedClient.UploadSamplesAsync("checker", ImageFamily.Checker, count: 6, seed: 2);
        return host;
    }
}
