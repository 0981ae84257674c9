using System.Net;
using DeviceHost.Hosting;

namespace DeviceHost.Api;

/// <summary>
/// Middleware in front of every endpoint and the technician page: refuses Host headers that do not name this device
/// (a DNS-rebinding page would send its own name) and sets the headers that keep the page from being framed,
/// content-sniffed or made to load foreign scripts.
/// </summary>
public static class RequestHardening
{
    /// <summary>Scripts and styles from the device only; report pages use inline styles, never inline scripts.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
        + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static void Use(WebApplication app, ApiOptions api)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(api);
        var named = new HashSet<string>(api.AllowedHosts, StringComparer.OrdinalIgnoreCase) { "localhost", api.Address };
        var anyAddress = IPAddress.TryParse(api.Address, out var bound) && (bound.Equals(IPAddress.Any) || bound.Equals(IPAddress.IPv6Any));
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers["Referrer-Policy"] = "no-referrer";

            var host = context.Request.Host;
            if (!host.HasValue || string.IsNullOrEmpty(host.Host))
            {
                await WriteAsync(context, StatusCodes.Status400BadRequest, "Host header required", "Send a Host header naming this device.").ConfigureAwait(false);
                return;
            }

            if (!IsAllowed(host.Host, named, anyAddress))
            {
                await WriteAsync(
                    context,
                    StatusCodes.Status421MisdirectedRequest,
                    "Unknown host",
                    $"This device answers to {string.Join(", ", named.Order(StringComparer.Ordinal))} and loopback addresses; add other names to Api:AllowedHosts.")
                    .ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
        });
    }

    /// <summary>
    /// A loopback IP literal cannot be rebound; on an any-address binding every IP literal names this device (a
    /// rebinding attack needs a DNS name). Names must be listed.
    /// </summary>
    public static bool IsAllowed(string host, IReadOnlySet<string> named, bool anyAddress)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(named);
        var literal = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        if (IPAddress.TryParse(literal, out var ip) && Uri.CheckHostName(literal) is UriHostNameType.IPv4 or UriHostNameType.IPv6)
        {
            return IPAddress.IsLoopback(ip) || anyAddress || named.Contains(ip.ToString());
        }

        return named.Contains(host.TrimEnd('.'));
    }

    private static Task WriteAsync(HttpContext context, int status, string title, string detail) =>
        Results.Problem(title: title, detail: detail, statusCode: status).ExecuteAsync(context);
}
