using System.Globalization;
using System.Net;
using System.Runtime.Versioning;
using DeviceHost.Tests.Hosting;
using Xunit.Abstractions;

namespace DeviceHost.Tests.Reliability;

/// <summary>
/// Bounded, seeded fuzzing of every documented endpoint against a real service: no answer is a 5xx, and the service
/// is healthy and still classifying frames afterwards. <c>EDGERUNTIME_FUZZ_REQUESTS</c> sets the request count
/// (default 400 per seed in CI; thousands for the long mode), <c>EDGERUNTIME_FUZZ_SEED</c> one seed to reproduce.
/// </summary>
[SupportedOSPlatform("linux")]
[Collection(DeviceHostCollection.Name)]
public sealed class EndpointFuzzTests(ITestOutputHelper output)
{
    private static int Requests => int.TryParse(Environment.GetEnvironmentVariable("EDGERUNTIME_FUZZ_REQUESTS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 400;

    public static TheoryData<int> Seeds => int.TryParse(Environment.GetEnvironmentVariable("EDGERUNTIME_FUZZ_SEED"), CultureInfo.InvariantCulture, out var one)
        ? new TheoryData<int> { one }
        : new TheoryData<int> { 11 };

    [Fact]
    public void The_generator_covers_every_documented_endpoint()
    {
        var endpoints = DocumentedEndpoints.Read();

        Assert.True(endpoints.Count >= 24, $"only {endpoints.Count} endpoints found in docs/http-api.md");
        Assert.Contains(("POST", "/samples", false), endpoints);
        Assert.Contains(("GET", "/samples", true), endpoints);
        Assert.Contains(("POST", "/adapt", false), endpoints);
        Assert.Contains(("POST", "/review/assign", false), endpoints);
        Assert.Contains(("GET", "/drift/frames/{i}", false), endpoints);
        Assert.All(endpoints, e => Assert.Matches(@"^[^{}]*(\{(label|id|version|i)\}[^{}]*)*$", e.Template));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Hostile_requests_to_every_documented_endpoint_never_get_a_5xx_and_the_service_stays_healthy(int seed)
    {
        await using var host = await DeviceHostRunner.StartAsync(new Dictionary<string, string?>
        {
            ["Pipeline:Source"] = "synthetic:?fps=8",
            ["Api:MaxUploadBytes"] = (128 * 1024).ToString(CultureInfo.InvariantCulture),
            ["Calibration:AugmentedViews"] = "0",
        });

        // Real classes, samples and a head first, so activation, rollback, reports, images and training are reached.
        await host.AuthorizedClient.UploadSamplesAsync("ripe", EdgeRuntime.TestSupport.Images.ImageFamily.Stripes, 6, seed);
        await host.AuthorizedClient.UploadSamplesAsync("unripe", EdgeRuntime.TestSupport.Images.ImageFamily.Blobs, 6, seed + 1);
        await host.AuthorizedClient.WaitForJobAsync(await host.AuthorizedClient.StartTrainingAsync(), TimeSpan.FromMinutes(3));
        var endpoints = DocumentedEndpoints.Read();
        var fuzzer = new RequestFuzzer(seed, endpoints, host.Token, host.BaseAddress.Port);
        var statuses = new SortedDictionary<int, int>();
        var failures = new List<string>();
        for (int i = 0; i < Requests; i++)
        {
            using var request = fuzzer.Next(out var description);
            int status;
            string body;
            try
            {
                using var response = await host.Client.SendAsync(request);
                status = (int)response.StatusCode;
                body = await response.Content.ReadAsStringAsync();
            }
            catch (HttpRequestException ex)
            {
                // Kestrel may answer 413 and close the connection before a large body is sent: not a server error.
                status = -1;
                body = ex.Message;
            }

            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            if (status >= 500)
            {
                failures.Add($"{description} -> {status}: {body[..Math.Min(body.Length, 300)]}");
            }
        }

        output.WriteLine($"seed {seed}, {Requests} requests over {endpoints.Count} endpoints: " + string.Join(", ", statuses.Select(s => $"{s.Key}x{s.Value}")));
        Assert.True(failures.Count == 0, $"{failures.Count} answers >= 500:\n" + string.Join('\n', failures.Take(20)));

        using var health = await host.Client.GetAsync(HostApi.Path("/healthz"));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var before = await host.Client.GetJsonAsync("/status");
        long processed = before.GetProperty("pipeline").GetProperty("framesProcessed").GetInt64();
        await host.Client.WaitForFrameAfterAsync(DateTimeOffset.UtcNow);
        var later = await host.Client.GetJsonAsync("/status");
        Assert.True(later.GetProperty("pipeline").GetProperty("framesProcessed").GetInt64() > processed, "the frame loop stopped");
    }
}
