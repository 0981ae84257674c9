using System.Text.Json.Serialization;

namespace EdgeRuntime.Evaluation;

/// <summary>What the evaluation gate decided for a candidate head.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<GateOutcome>))]
public enum GateOutcome
{
    /// <summary>Make the candidate the active head.</summary>
    Activate,

    /// <summary>Store the candidate but keep the current active head.</summary>
    Keep,
}
