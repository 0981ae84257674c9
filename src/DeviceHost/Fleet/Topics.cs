namespace DeviceHost.Fleet;

/// <summary>The topic layout (docs/fleet.md): edgeruntime/&lt;site&gt;/&lt;device&gt;/&lt;kind&gt; and edgeruntime/&lt;site&gt;/fleet/&lt;kind&gt;.</summary>
public static class Topics
{
    public const string Root = "edgeruntime";

    /// <summary>The device-level segment reserved for fleet-wide topics of a site.</summary>
    public const string FleetSegment = "fleet";

    /// <summary>Retained JSON state (schema 1).</summary>
    public static string State(string site, string device) => $"{Root}/{site}/{device}/state";

    /// <summary>Retained "online" / "offline" (the last will).</summary>
    public static string Availability(string site, string device) => $"{Root}/{site}/{device}/availability";

    public static string Metrics(string site, string device) => $"{Root}/{site}/{device}/metrics";

    public static string Events(string site, string device) => $"{Root}/{site}/{device}/events";

    /// <summary>What the device did with each head bundle.</summary>
    public static string Outcomes(string site, string device) => $"{Root}/{site}/{device}/outcomes";

    /// <summary>Signed class moments (federation).</summary>
    public static string Moments(string site, string device) => $"{Root}/{site}/{device}/moments";

    /// <summary>Retained: the latest signed head bundle for the site.</summary>
    public static string Heads(string site) => $"{Root}/{site}/{FleetSegment}/heads";

    /// <summary>Requests to every device of the site (e.g. "publish your moments").</summary>
    public static string Requests(string site) => $"{Root}/{site}/{FleetSegment}/requests";

    /// <summary>The filter matching one kind of per-device topic across the site.</summary>
    public static string AllDevices(string site, string kind) => $"{Root}/{site}/+/{kind}";

    /// <summary>The device segment of a per-device topic; null when it is not one.</summary>
    public static string? DeviceOf(string topic)
    {
        var parts = topic.Split('/');
        return parts.Length == 4 && parts[0] == Root && parts[2] != FleetSegment ? parts[2] : null;
    }
}
