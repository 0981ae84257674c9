using System.Text.RegularExpressions;

namespace DeviceHost.Sources;

/// <summary>Removes credentials from source URIs and pipelines before they reach logs, status pages or errors.</summary>
public static partial class SourceRedactor
{
    /// <summary>Replaces passwords in <c>scheme://user:pass@</c>, secret query parameters and GStreamer credential properties with ***.</summary>
    public static string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        var redacted = UserInfo().Replace(text, "${prefix}${user}:***@");
        redacted = SecretParameter().Replace(redacted, "${key}=***");
        return redacted;
    }

    // The password ends at the last '@' before the host, so passwords containing '@' or ':' are still covered.
    [GeneratedRegex(@"(?<prefix>[A-Za-z][A-Za-z0-9+.\-]*://)(?<user>[^:/@\s]*):(?<pass>[^/\s]*)@", RegexOptions.CultureInvariant)]
    private static partial Regex UserInfo();

    // Query parameters (?password=x&...) and GStreamer properties (rtspsrc user-pw=x) that carry secrets.
    [GeneratedRegex(@"(?<key>\b(?:password|passwd|pwd|pass|user-pw|proxy-pw|token|access_token|apikey|api_key|key|secret|auth)\b)\s*=\s*(?:""[^""]*""|[^&\s!]*)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SecretParameter();
}
