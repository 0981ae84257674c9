using System.Net;
using System.Net.Http.Headers;
using System.Runtime.Versioning;
using DeviceHost.Tests.Hosting;

namespace DeviceHost.Tests.Api;

/// <summary>Every mutating endpoint refuses requests without the technician token, and does nothing.</summary>
[SupportedOSPlatform("linux")]
[Collection(DeviceHostCollection.Name)]
public sealed class TokenTests(SharedHostFixture fixture)
{
    private readonly DeviceHostRunner _host = fixture.Host;

    public static TheoryData<string, string, string?> MutatingEndpoints => new()
    {
        { "POST", "/classes", """{"label":"sneaky"}""" },
        { "PUT", "/classes/sneaky", """{"newLabel":"sneakier"}""" },
        { "DELETE", "/classes/sneaky", null },
        { "POST", "/samples", """{"label":"sneaky"}""" },
        { "DELETE", "/samples/1", null },
        { "POST", "/train", "{}" },
        { "POST", "/heads/1/activate", null },
        { "POST", "/heads/rollback", null },
        { "POST", "/source/scene", """{"scene":"stripes"}""" },
    };

    [Theory]
    [MemberData(nameof(MutatingEndpoints))]
    public async Task A_request_without_a_token_is_refused_with_401_and_a_problem(string method, string path, string? body)
    {
        using var response = await SendAsync(method, path, body, authorization: null);

        await AssertRefusedAsync(response);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Theory]
    [MemberData(nameof(MutatingEndpoints))]
    public async Task A_request_with_a_wrong_token_is_refused_with_401(string method, string path, string? body)
    {
        var wrong = string.Concat(_host.Token.Reverse());
        using var response = await SendAsync(method, path, body, new AuthenticationHeaderValue("Bearer", wrong));

        await AssertRefusedAsync(response);
    }

    [Theory]
    [MemberData(nameof(MutatingEndpoints))]
    public async Task The_right_token_in_another_scheme_or_truncated_is_refused_with_401(string method, string path, string? body)
    {
        using (var basic = await SendAsync(method, path, body, new AuthenticationHeaderValue("Basic", _host.Token)))
        {
            await AssertRefusedAsync(basic);
        }

        using var truncated = await SendAsync(method, path, body, new AuthenticationHeaderValue("Bearer", _host.Token[..^1]));
        await AssertRefusedAsync(truncated);
    }

    [Fact]
    public async Task A_refused_request_changes_nothing()
    {
        using var response = await SendAsync("POST", "/classes", """{"label":"sneaky"}""", authorization: null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);

        var classes = await _host.Client.GetJsonAsync("/classes");
        Assert.DoesNotContain(classes.EnumerateArray(), c => c.GetProperty("label").GetString() == "sneaky");
    }

    [Fact]
    public async Task Reading_needs_no_token()
    {
        foreach (var path in new[] { "/healthz", "/status", "/classes", "/samples", "/heads", "/metrics", "/predictions" })
        {
            using var response = await _host.Client.GetAsync(HostApi.Path(path));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode}");
        }
    }

    private async Task<HttpResponseMessage> SendAsync(string method, string path, string? body, AuthenticationHeaderValue? authorization)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), HostApi.Path(path));
        request.Headers.Authorization = authorization;
        if (body is not null)
        {
            request.Content = HostApi.Json(body);
        }

        return await _host.Client.SendAsync(request);
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("token", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }
}
