using System.Net;
using System.Net.Http.Headers;
using System.Runtime.Versioning;
using DeviceHost.Tests.Hosting;
using EdgeRuntime.TestSupport;

namespace DeviceHost.Tests.Api;

/// <summary>Refused image uploads (multipart POST /samples): too large, not an image, incomplete, bad label. None is stored.</summary>
[SupportedOSPlatform("linux")]
[Collection(DeviceHostCollection.Name)]
public sealed class UploadTests(SharedHostFixture fixture)
{
    private readonly DeviceHostRunner _host = fixture.Host;

    [Theory]
    [InlineData(SharedHostFixture.MaxUploadBytes + 1)]
    [InlineData((SharedHostFixture.MaxUploadBytes * 3) + (256 * 1024))]
    public async Task An_image_over_the_upload_limit_is_refused_with_413(int size)
    {
        using var response = await UploadAsync("ripe", SyntheticImageBytes.Jpeg(seed: 1, length: size), "big.jpg");

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Bytes_that_are_not_an_image_are_refused_with_400()
    {
        using var response = await UploadAsync("ripe", "just some text, not a picture"u8.ToArray(), "notes.jpg");

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_path_like_label_is_refused_with_400()
    {
        using var response = await UploadAsync("../x", SyntheticImageBytes.Png(seed: 2), "x.png");

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task An_upload_without_a_file_or_with_an_empty_file_is_refused_with_400()
    {
        using (var form = new MultipartFormDataContent { { new StringContent("ripe"), "label" } })
        using (var response = await _host.AuthorizedClient.PostAsync(HostApi.Path("/samples"), form))
        {
            await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        }

        using var empty = await UploadAsync("ripe", [], "empty.jpg");
        await AssertProblemAsync(empty, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("multipart/form-data", "--x\r\nContent-Disposition: form-data; name=\"label\"\r\n\r\nripe\r\n--x--\r\n")]
    [InlineData("multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n\r\n\u00ff\u00d8")]
    [InlineData("multipart/form-data; boundary=x", "this is not multipart at all")]
    public async Task A_malformed_multipart_body_is_refused_with_400(string contentType, string body)
    {
        using var content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await _host.AuthorizedClient.PostAsync(HostApi.Path("/samples"), content);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task An_unparseable_content_type_is_refused_with_415()
    {
        using var content = new ByteArrayContent("--x\r\n"u8.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=\"unterminated");

        using var response = await _host.AuthorizedClient.PostAsync(HostApi.Path("/samples"), content);

        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task A_json_body_over_the_request_limit_is_refused_with_413()
    {
        var huge = "{\"label\":\"" + new string('x', SharedHostFixture.MaxUploadBytes * 4) + "\"}";
        using var content = HostApi.Json(huge);

        using var response = await _host.AuthorizedClient.PostAsync(HostApi.Path("/classes"), content);

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    private async Task<HttpResponseMessage> UploadAsync(string label, byte[] image, string fileName)
    {
        using var file = new ByteArrayContent(image);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        using var form = new MultipartFormDataContent { { new StringContent(label), "label" }, { file, "file", fileName } };
        try
        {
            return await _host.AuthorizedClient.PostAsync(HostApi.Path("/samples"), form);
        }
        catch (HttpRequestException ex)
        {
            // Kestrel may answer 413 and close the connection before the client has sent everything.
            throw new InvalidOperationException($"The upload of {image.Length} bytes failed on the client side: {ex.Message}", ex);
        }
    }

    private async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var samples = await _host.Client.GetJsonAsync("/samples");
        Assert.Equal(0, samples.GetProperty("total").GetInt32());
    }
}
