using System.Text.Json;
using DeviceHost.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace DeviceHost.Api;

/// <summary>Problem answers used by several endpoints.</summary>
public static class ApiProblems
{
    public static IResult BadRequest(string detail) => Results.Problem(title: "Bad request", detail: detail, statusCode: StatusCodes.Status400BadRequest);

    public static IResult NotFound(string detail) => Results.Problem(title: "Not found", detail: detail, statusCode: StatusCodes.Status404NotFound);

    public static IResult Conflict(string detail) => Results.Problem(title: "Conflict", detail: detail, statusCode: StatusCodes.Status409Conflict);

    public static IResult UnsupportedMediaType(string detail) =>
        Results.Problem(title: "Unsupported media type", detail: detail, statusCode: StatusCodes.Status415UnsupportedMediaType);

    public static IResult TooLarge(string detail) => Results.Problem(title: "Request too large", detail: detail, statusCode: StatusCodes.Status413PayloadTooLarge);

    /// <summary>
    /// Reads a JSON body, answering malformed JSON, a wrong content type, a charset other than UTF-8 (quoted or not,
    /// as RFC 9110 allows) or a body above <see cref="ApiOptions.MaxJsonBytes"/> with a 4xx instead of throwing.
    /// </summary>
    public static async Task<(T? Value, IResult? Problem)> ReadJsonAsync<T>(HttpRequest request, bool optional = false)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        if (optional && (request.ContentLength ?? 0) == 0 && !request.Headers.TransferEncoding.Any())
        {
            return (null, null);
        }

        if (!request.HasJsonContentType() || !MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType))
        {
            return (null, UnsupportedMediaType("Send application/json."));
        }

        var charset = HeaderUtilities.RemoveQuotes(mediaType.Charset).Value;
        if (charset is not null && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
        {
            return (null, UnsupportedMediaType($"JSON must be UTF-8, not charset '{charset}'."));
        }

        var services = request.HttpContext.RequestServices;
        var limit = services.GetRequiredService<IOptions<ApiOptions>>().Value.MaxJsonBytes;
        if (request.ContentLength > limit)
        {
            return (null, TooLarge($"The JSON body is {request.ContentLength} bytes; the limit is {limit} (Api:MaxJsonBytes)."));
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            // Chunked bodies have no length to check up front; Kestrel then stops reading at the limit (413).
            bodyLimit.MaxRequestBodySize = limit;
        }

        try
        {
            var options = services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, options, request.HttpContext.RequestAborted).ConfigureAwait(false);
            return value is null && !optional ? (null, BadRequest("The JSON body is empty.")) : (value, null);
        }
        catch (JsonException ex)
        {
            return (null, BadRequest($"The JSON body is malformed: {ex.Message}"));
        }
    }
}
