using System.Net;

namespace DeviceHost.Api;

/// <summary>The local HTTP endpoint. Bound from the <c>Api</c> section.</summary>
public sealed class ApiOptions
{
    /// <summary>Address to bind; loopback by default so only local users and an SSH tunnel reach it.</summary>
    public string Address { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 8080;

    /// <summary>File holding the technician token; default &lt;data&gt;/api-token.</summary>
    public string? TokenFile { get; set; }

    public long MaxUploadBytes { get; set; } = 10 * 1024 * 1024;

    public string? Validate()
    {
        if (!IPAddress.TryParse(Address, out _) && Address != "localhost")
        {
            return $"Api:Address '{Address}' is not an IP address.";
        }

        if (Port is < 0 or > 65535)
        {
            return $"Api:Port must be 0..65535 (0 picks a free port), not {Port}.";
        }

        if (MaxUploadBytes is < 1024 or > 256L * 1024 * 1024)
        {
            return $"Api:MaxUploadBytes must be 1 KiB..256 MiB, not {MaxUploadBytes}.";
        }

        return null;
    }
}
