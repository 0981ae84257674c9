using EdgeRuntime;
using EdgeRuntime.Calibration;
using EdgeRuntime.Heads;
using EdgeRuntime.Samples;
using EdgeRuntime.Storage;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace DeviceHost.Api;

/// <summary>
/// Turns the engine's expected errors into RFC 7807 answers with the right 4xx status, so bad input never shows as a
/// 500. Anything else is a bug: logged, and answered with a generic 500 problem.
/// </summary>
public sealed class ApiExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var (status, title) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Upload too large" : "Bad request"),
            ClassNotFoundException or SampleNotFoundException => (StatusCodes.Status404NotFound, "Not found"),
            ClassExistsException or DuplicateImageException or TrainingInProgressException or CorruptHeadException or DataDirectoryLockedException
                => (StatusCodes.Status409Conflict, "Conflict"),
            EdgeRuntimeException => (StatusCodes.Status400BadRequest, "Request cannot be carried out"),
            _ => (0, ""),
        };
        if (status == 0)
        {
            return false;
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = exception.Message },
        }).ConfigureAwait(false);
    }
}
