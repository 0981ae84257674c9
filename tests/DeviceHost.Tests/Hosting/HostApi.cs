using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Runtime.Versioning;
using System.Text;
using System.Text.Json;
using EdgeRuntime.TestSupport.Images;

namespace DeviceHost.Tests.Hosting;

/// <summary>Small HTTP conveniences for tests against a running device host.</summary>
[SupportedOSPlatform("linux")]
public static class HostApi
{
    public static Uri Path(string relative) => new(relative, UriKind.Relative);

    /// <summary>A JSON body with the given text, so tests can send malformed JSON as well.</summary>
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>GETs JSON and fails with the problem body when the answer is not 2xx.</summary>
    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var response = await client.GetAsync(Path(path));
        return await ReadSuccessAsync(response, $"GET {path}");
    }

    /// <summary>POSTs JSON text and fails with the problem body when the answer is not 2xx.</summary>
    public static async Task<JsonElement> PostJsonAsync(this HttpClient client, string path, string json = "{}")
    {
        ArgumentNullException.ThrowIfNull(client);
        using var content = Json(json);
        using var response = await client.PostAsync(Path(path), content);
        return await ReadSuccessAsync(response, $"POST {path}");
    }

    /// <summary>Uploads <paramref name="count"/> generated PNGs of <paramref name="family"/> as samples of <paramref name="label"/>; each must be created (201).</summary>
    public static async Task UploadSamplesAsync(this HttpClient client, string label, ImageFamily family, int count, int seed)
    {
        ArgumentNullException.ThrowIfNull(client);
        var rng = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            using var mat = SyntheticImages.Create(family, rng, 160, 120);
            using var file = new ByteArrayContent(SyntheticImages.Encode(mat));
            file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/png");
            using var form = new MultipartFormDataContent { { new StringContent(label), "label" }, { file, "file", $"{label}-{i}.png" } };
            using var response = await client.PostAsync(Path("/samples"), form);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                throw new HttpRequestException($"Upload {i} of '{label}' answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
        }
    }

    /// <summary>POSTs /train and returns the job id (the answer must be 202).</summary>
    public static async Task<string> StartTrainingAsync(this HttpClient client, string body = "{}")
    {
        var accepted = await client.PostJsonAsync("/train", body);
        return accepted.GetProperty("jobId").GetString()!;
    }

    /// <summary>The latest prediction, or null before the first one.</summary>
    public static async Task<JsonElement?> LatestPredictionAsync(this HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var response = await client.GetAsync(Path("/predictions/latest"));
        return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<JsonElement>() : null;
    }

    /// <summary>Polls /predictions/latest until one satisfies <paramref name="accept"/>.</summary>
    public static Task<JsonElement> WaitForPredictionAsync(this HttpClient client, Func<JsonElement, bool> accept, string what, TimeSpan? timeout = null) =>
        Poll.UntilValueAsync(
            async () => await client.LatestPredictionAsync() is { } p && accept(p) ? p : (JsonElement?)null,
            timeout ?? TimeSpan.FromSeconds(30),
            what,
            TimeSpan.FromMilliseconds(50));

    /// <summary>Waits for a prediction of a frame captured after <paramref name="after"/>.</summary>
    public static Task<JsonElement> WaitForFrameAfterAsync(this HttpClient client, DateTimeOffset after, TimeSpan? timeout = null) =>
        client.WaitForPredictionAsync(p => FrameTime(p) > after, $"a frame captured after {after:O}", timeout);

    public static DateTimeOffset FrameTime(JsonElement prediction) =>
        DateTimeOffset.Parse(prediction.GetProperty("frameTime").GetString()!, CultureInfo.InvariantCulture);

    /// <summary>Polls GET /jobs/{id} until the job has finished (any final state).</summary>
    public static Task<JsonElement> WaitForJobAsync(this HttpClient client, string jobId, TimeSpan timeout) =>
        Poll.UntilValueAsync(
            async () =>
            {
                var job = await client.GetJsonAsync($"/jobs/{jobId}");
                return job.GetProperty("state").GetString() is "succeeded" or "failed" or "cancelled" ? job : (JsonElement?)null;
            },
            timeout,
            $"training job {jobId} to finish",
            TimeSpan.FromMilliseconds(200));

    private static async Task<JsonElement> ReadSuccessAsync(HttpResponseMessage response, string what)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{what} answered {(int)response.StatusCode}: {text}");
        }

        if (text.Length == 0)
        {
            return default;
        }

        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
