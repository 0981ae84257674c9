namespace DeviceHost.Api;

/// <summary>Refuses a mutating request without the technician token with 401 and a problem body.</summary>
public sealed class RequireTokenFilter(ApiToken token) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (!token.Accepts(context.HttpContext.Request.Headers.Authorization))
        {
            context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
            return Results.Problem(
                title: "Technician token required",
                detail: "Send the technician token as 'Authorization: Bearer <token>' (it is in the service's token file).",
                statusCode: StatusCodes.Status401Unauthorized);
        }

        return await next(context).ConfigureAwait(false);
    }
}
