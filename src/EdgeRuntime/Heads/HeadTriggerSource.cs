using System.Text.Json.Serialization;

namespace EdgeRuntime.Heads;

/// <summary>What started a training run.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<HeadTriggerSource>))]
public enum HeadTriggerSource
{
    /// <summary>The <c>edgeruntime</c> command line.</summary>
    Cli,

    /// <summary>The HTTP API.</summary>
    Api,

    /// <summary>A button wired to a GPIO pin.</summary>
    Gpio,

    /// <summary>A signed head bundle received from the fleet broker (see docs/fleet.md).</summary>
    Fleet,
}
