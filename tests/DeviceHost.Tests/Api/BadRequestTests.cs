using System.Net;
using System.Net.Http.Headers;
using System.Runtime.Versioning;
using System.Text;
using DeviceHost.Tests.Hosting;

namespace DeviceHost.Tests.Api;

/// <summary>
/// Bad input gets the documented 4xx with a problem document, never a 5xx: malformed JSON, wrong content types,
/// unknown names, path-like labels, bad query values. All requests carry the right token.
/// </summary>
[SupportedOSPlatform("linux")]
[Collection(DeviceHostCollection.Name)]
public sealed class BadRequestTests(SharedHostFixture fixture)
{
    private readonly DeviceHostRunner _host = fixture.Host;

    public static TheoryData<string, string, string?, string?, int> BadRequests => new()
    {
        // Malformed or mistyped JSON.
        { "POST", "/classes", "application/json", "{", 400 },
        { "POST", "/classes", "application/json", """{"label":""", 400 },
        { "POST", "/classes", "application/json", "not json", 400 },
        { "POST", "/classes", "application/json", """{"label":5}""", 400 },
        { "POST", "/classes", "application/json", "null", 400 },
        { "POST", "/classes", "application/json", "{}", 400 },
        { "POST", "/classes", "application/json", "", 400 },
        { "PUT", "/classes/anything", "application/json", "[1,2", 400 },
        { "POST", "/samples", "application/json", """{"label":[]}""", 400 },
        { "POST", "/train", "application/json", "{", 400 },
        { "POST", "/train", "application/json", """{"force":"yes"}""", 400 },
        { "POST", "/train", "application/json", """{"headKind":"deep"}""", 400 },
        { "POST", "/source/scene", "application/json", """{"scene":""", 400 },

        // Wrong content type.
        { "POST", "/classes", "text/plain", "ripe", 415 },
        { "POST", "/samples", "text/plain", "ripe", 415 },
        { "POST", "/samples", "application/octet-stream", "\u00ff\u00d8\u00ff", 415 },
        { "POST", "/train", "application/xml", "<train/>", 415 },
        { "PUT", "/classes/anything", "text/plain", "x", 415 },
        { "POST", "/source/scene", "application/x-www-form-urlencoded", "scene=stripes", 415 },

        // Unknown things.
        { "PUT", "/classes/nosuch", "application/json", """{"newLabel":"other"}""", 404 },
        { "DELETE", "/classes/nosuch", null, null, 404 },
        { "DELETE", "/samples/987654", null, null, 404 },
        { "GET", "/samples/987654/image", null, null, 404 },
        { "GET", "/heads/99", null, null, 404 },
        { "GET", "/heads/99/report", null, null, 404 },
        { "POST", "/heads/99/activate", null, null, 404 },
        { "GET", "/jobs/nosuch", null, null, 404 },
        { "GET", "/no/such/endpoint", null, null, 404 },
        { "POST", "/source/scene", "application/json", """{"scene":"volcano"}""", 400 },

        // Labels that are not labels.
        { "POST", "/classes", "application/json", """{"label":"../x"}""", 400 },
        { "POST", "/classes", "application/json", """{"label":"a/b"}""", 400 },
        { "POST", "/classes", "application/json", """{"label":"a\\b"}""", 400 },
        { "POST", "/classes", "application/json", """{"label":".hidden"}""", 400 },
        { "POST", "/classes", "application/json", """{"label":"tab\there"}""", 400 },
        { "POST", "/classes", "application/json", """{"label":"   "}""", 400 },
        { "POST", "/classes", "application/json", "{\"label\":\"" + new string('x', 65) + "\"}", 400 },
        { "POST", "/samples", "application/json", """{"label":"../x"}""", 400 },
        { "PUT", "/classes/nosuch", "application/json", """{"newLabel":"../x"}""", 400 },
        { "DELETE", "/classes/%2E%2E%2Fx", null, null, 400 },

        // Nothing to act on yet (this host has no samples and no head).
        { "POST", "/train", null, null, 400 },
        { "POST", "/heads/rollback", null, null, 409 },

        // Bad query values.
        { "GET", "/predictions?limit=abc", null, null, 400 },
        { "GET", "/samples?offset=abc", null, null, 400 },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_input_gets_its_4xx_with_a_problem_document(string method, string path, string? contentType, string? body, int expected)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType!);
        }

        using var response = await _host.AuthorizedClient.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True((int)response.StatusCode < 500, $"{method} {path} answered {(int)response.StatusCode}: {text}");
        Assert.True((int)response.StatusCode == expected, $"{method} {path}: expected {expected}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"status\":" + expected, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Queries_out_of_range_are_clamped_not_refused()
    {
        foreach (var path in new[] { "/samples?offset=-5&limit=99999", "/samples?limit=0", "/predictions?limit=-1", "/predictions?limit=100000" })
        {
            using var response = await _host.Client.GetAsync(HostApi.Path(path));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode}");
        }
    }
}
