using System.Net;

namespace DeviceHost.Api;

/// <summary>The local HTTP endpoint. Bound from the <c>Api</c> section.</summary>
public sealed class ApiOptions
{
    /// <summary>Address to bind; loopback by default so only local users and an SSH tunnel reach it.</summary>
    public string Address { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 8080;

    /// <summary>
    /// Must be true to bind a non-loopback address: the API is plain HTTP, so anyone on that network sees the token
    /// a technician sends. Start-up refuses such an address without it, and logs a warning with it.
    /// </summary>
    public bool AllowRemote { get; set; }

    /// <summary>
    /// Extra host names requests may carry in their Host header (e.g. "jetson-17.local"), besides the bound address,
    /// localhost and loopback addresses. Anything else is refused, so a page rebinding its DNS name to this device
    /// cannot read it through a browser.
    /// </summary>
    public IList<string> AllowedHosts { get; } = [];

    /// <summary>File holding the technician token; default &lt;data&gt;/api-token.</summary>
    public string? TokenFile { get; set; }

    public long MaxUploadBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Largest image (width x height) accepted by upload; refused from the header, before any decoding.</summary>
    public long MaxUploadPixels { get; set; } = 40_000_000;

    /// <summary>Largest JSON request body; JSON bodies are small commands, so this is far below the upload limit.</summary>
    public int MaxJsonBytes { get; set; } = 64 * 1024;

    /// <summary>True when <see cref="Address"/> only reaches this machine.</summary>
    public bool IsLoopback => Address == "localhost" || (IPAddress.TryParse(Address, out var ip) && IPAddress.IsLoopback(ip));

    public string? Validate()
    {
        if (!IPAddress.TryParse(Address, out _) && Address != "localhost")
        {
            return $"Api:Address '{Address}' is not an IP address.";
        }

        if (!IsLoopback && !AllowRemote)
        {
            return $"Api:Address '{Address}' is not a loopback address; the API is plain HTTP, so set Api:AllowRemote=true to expose it to the network deliberately (or use an SSH tunnel).";
        }

        if (Port is < 0 or > 65535)
        {
            return $"Api:Port must be 0..65535 (0 picks a free port), not {Port}.";
        }

        if (MaxUploadBytes is < 1024 or > 256L * 1024 * 1024)
        {
            return $"Api:MaxUploadBytes must be 1 KiB..256 MiB, not {MaxUploadBytes}.";
        }

        if (MaxUploadPixels is < 256 or > 1_000_000_000)
        {
            return $"Api:MaxUploadPixels must be 256..1000000000, not {MaxUploadPixels}.";
        }

        if (MaxJsonBytes is < 1024 or > 16 * 1024 * 1024)
        {
            return $"Api:MaxJsonBytes must be 1 KiB..16 MiB, not {MaxJsonBytes}.";
        }

        return AllowedHosts.FirstOrDefault(h => Uri.CheckHostName(h) == UriHostNameType.Unknown) is { } bad
            ? $"Api:AllowedHosts entry '{bad}' is not a host name."
            : null;
    }
}
