using System.Text.Json.Serialization;

namespace EdgeRuntime.Heads;

/// <summary>How a version became active.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ActivationKind>))]
public enum ActivationKind
{
    /// <summary>Explicitly activated (gate or person).</summary>
    Activate,

    /// <summary>Restored by <see cref="HeadRegistry.Rollback"/>.</summary>
    Rollback,
}
