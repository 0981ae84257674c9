using EdgeRuntime;
using EdgeRuntime.Storage;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Data.Sqlite;

namespace DeviceHost.Api;

/// <summary>
/// The error model of the API: turns the engine's client faults into RFC 7807 answers with their 4xx status, and
/// operational faults (disk full, I/O, corrupt file, inference runtime, not ready) into 5xx or 503 problems that name
/// the cause. Anything else is a bug: logged, and answered with a generic 500 problem.
/// </summary>
public sealed class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var (status, title) = Classify(exception);
        if (status == 0)
        {
            return false;
        }

        if (status >= 500)
        {
            logger.LogError(exception, "{Method} {Path} failed on the device: {Title}: {Reason}", httpContext.Request.Method, httpContext.Request.Path.Value, title, exception.Message);
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = exception.Message },
        }).ConfigureAwait(false);
    }

    /// <summary>Status and title for an exception; (0, "") for one that is not expected (a bug).</summary>
    public static (int Status, string Title) Classify(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (DiskFull.Caused(exception))
        {
            return (StatusCodes.Status507InsufficientStorage, "The device's disk is full");
        }

        return exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request too large" : "Bad request"),
            EdgeRuntimeException engine => engine.Fault switch
            {
                FaultKind.NotFound => (StatusCodes.Status404NotFound, "Not found"),
                FaultKind.Conflict => (StatusCodes.Status409Conflict, "Conflict"),
                FaultKind.TooLarge => (StatusCodes.Status413PayloadTooLarge, "Request too large"),
                FaultKind.NotReady => (StatusCodes.Status503ServiceUnavailable, "Not ready"),
                FaultKind.Storage => (StatusCodes.Status500InternalServerError, "Storage failure on the device"),
                FaultKind.Corrupt => (StatusCodes.Status500InternalServerError, "Corrupt file on the device"),
                FaultKind.Provider => (StatusCodes.Status500InternalServerError, "Inference runtime failure"),
                _ => (StatusCodes.Status400BadRequest, "Request cannot be carried out"),
            },
            SqliteException => (StatusCodes.Status500InternalServerError, "Sample database failure"),
            IOException or UnauthorizedAccessException => (StatusCodes.Status500InternalServerError, "Storage failure on the device"),
            _ => (0, ""),
        };
    }
}
