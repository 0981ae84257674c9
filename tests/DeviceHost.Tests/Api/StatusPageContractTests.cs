using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using DeviceHost.Api;
using DeviceHost.Sources;
using DeviceHost.Tests.Deploy;
using EdgeRuntime.Execution;

namespace DeviceHost.Tests.Api;

/// <summary>
/// Every /status field the technician page reads is declared by the typed contract (<see cref="DeviceStatus"/>), so
/// renaming a record property without updating app.js fails here instead of silently blanking the page.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class StatusPageContractTests
{
    // The page's variables that hold a part of the status document (renderStatus, renderScenes, currentScene, renderDrift).
    private static readonly Dictionary<string, Type> Parts = new(StringComparer.Ordinal)
    {
        ["status.training"] = typeof(TrainingStatus),
        ["status.samples"] = typeof(SampleStatus),
        ["status.source"] = typeof(FrameSourceStatus),
        ["status"] = typeof(DeviceStatus),
        ["source"] = typeof(FrameSourceStatus),
        ["pipeline"] = typeof(PipelineStatus),
        ["backbone"] = typeof(BackboneStatus),
        ["latency"] = typeof(LatencyPercentiles),
        ["head"] = typeof(ActiveHeadStatus),
        ["f"] = typeof(ProviderFailure),
        ["drift"] = typeof(DeviceHost.Field.DriftStatus),
        ["stat"] = typeof(EdgeRuntime.Drift.DriftStatistic),
    };

    [Fact]
    public void Every_status_field_the_page_reads_is_a_property_of_the_typed_status_document()
    {
        var script = File.ReadAllText(Path.Combine(DeployFiles.RepositoryRoot, "src", "DeviceHost", "wwwroot", "app.js"));
        int start = script.IndexOf("function renderScenes(", StringComparison.Ordinal);
        int end = script.IndexOf("// ---------- classes and samples", StringComparison.Ordinal);
        Assert.True(start > 0 && end > start, "app.js no longer has renderScenes ... the classes section; update this test's anchors.");
        // Comments name the variables too ("status.x"); only code counts.
        var section = string.Join('\n', script[start..end].Split('\n').Where(line => !IsComment(line.TrimStart())));

        var reads = FieldRead().Matches(section).Select(m => (Part: m.Groups["part"].Value, Field: m.Groups["field"].Value)).Distinct().ToList();

        Assert.True(reads.Count > 20, $"Only {reads.Count} status reads found; the pattern no longer matches how app.js reads /status.");
        var missing = reads.Where(r => !Declares(Parts[r.Part], r.Field)).Select(r => $"{r.Part}.{r.Field}").ToList();
        Assert.True(missing.Count == 0, $"app.js reads fields the status records do not declare: {string.Join(", ", missing)}");
    }

    private static bool IsComment(string line) =>
        line.StartsWith("//", StringComparison.Ordinal) || line.StartsWith("/*", StringComparison.Ordinal) || line.StartsWith('*');

    private static bool Declares(Type type, string jsonName) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Any(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name) == jsonName);

    [GeneratedRegex(@"(?<![\w.$])(?<part>status\.training|status\.samples|status\.source|status|source|pipeline|backbone|latency|head|f|drift|stat)\.(?<field>[a-zA-Z]+)\b")]
    private static partial Regex FieldRead();
}
