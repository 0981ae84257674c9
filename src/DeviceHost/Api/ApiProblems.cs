namespace DeviceHost.Api;

/// <summary>Problem answers used by several endpoints.</summary>
public static class ApiProblems
{
    public static IResult BadRequest(string detail) => Results.Problem(title: "Bad request", detail: detail, statusCode: StatusCodes.Status400BadRequest);

    public static IResult NotFound(string detail) => Results.Problem(title: "Not found", detail: detail, statusCode: StatusCodes.Status404NotFound);

    public static IResult Conflict(string detail) => Results.Problem(title: "Conflict", detail: detail, statusCode: StatusCodes.Status409Conflict);

    /// <summary>Reads a JSON body, answering malformed JSON or a wrong content type with a 4xx instead of throwing.</summary>
    public static async Task<(T? Value, IResult? Problem)> ReadJsonAsync<T>(HttpRequest request, bool optional = false)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        if (optional && (request.ContentLength ?? 0) == 0 && !request.Headers.TransferEncoding.Any())
        {
            return (null, null);
        }

        if (!request.HasJsonContentType())
        {
            return (null, Results.Problem(title: "Unsupported media type", detail: "Send application/json.", statusCode: StatusCodes.Status415UnsupportedMediaType));
        }

        try
        {
            var value = await request.ReadFromJsonAsync<T>(request.HttpContext.RequestAborted).ConfigureAwait(false);
            return value is null && !optional ? (null, BadRequest("The JSON body is empty.")) : (value, null);
        }
        catch (System.Text.Json.JsonException ex)
        {
            return (null, BadRequest($"The JSON body is malformed: {ex.Message}"));
        }
    }
}
