using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeRuntime.Evaluation;

/// <summary>The JSON settings used for metrics, gate decisions and head manifests: camelCase, indented, enums as strings.</summary>
public static class EvaluationJson
{
    /// <summary>Shared, read-only serializer options.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
