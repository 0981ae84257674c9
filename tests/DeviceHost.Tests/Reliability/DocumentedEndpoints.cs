using System.Text.RegularExpressions;
using DeviceHost.Tests.Deploy;

namespace DeviceHost.Tests.Reliability;

/// <summary>The endpoints docs/http-api.md documents, read from its tables, so a new endpoint is fuzzed once documented.</summary>
public static partial class DocumentedEndpoints
{
    /// <summary>(method, path template without its example query, whether the docs show a query).</summary>
    public static IReadOnlyList<(string Method, string Template, bool HasQuery)> Read()
    {
        var docs = File.ReadAllText(Path.Combine(DeployFiles.RepositoryRoot, "docs", "http-api.md"));
        return [.. Row().Matches(docs)
            .Select(m => (m.Groups["method"].Value, m.Groups["path"].Value.Split('?')[0], m.Groups["path"].Value.Contains('?', StringComparison.Ordinal)))
            .Distinct()];
    }

    [GeneratedRegex(@"^\| `(?<method>GET|POST|PUT|DELETE|PATCH) (?<path>/[^`]*)`", RegexOptions.Multiline)]
    private static partial Regex Row();
}
