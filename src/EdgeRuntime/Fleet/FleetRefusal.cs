using System.Text.Json.Serialization;

namespace EdgeRuntime.Fleet;

/// <summary>Why a device refused a signed fleet message (a head bundle or a moments report).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FleetRefusal>))]
public enum FleetRefusal
{
    /// <summary>Larger than the configured maximum; not even parsed.</summary>
    Oversized,

    /// <summary>Shorter than its own length fields say.</summary>
    Truncated,

    /// <summary>Not a signed fleet envelope, or its payload is not the expected JSON.</summary>
    Malformed,

    /// <summary>The signature does not verify with the fleet public key (tampered, or signed with another key).</summary>
    BadSignature,

    /// <summary>A payload schema this device does not understand.</summary>
    UnsupportedSchema,

    /// <summary>Made for another backbone (or embedding size) than this device runs.</summary>
    WrongBackbone,

    /// <summary>Its sequence number is not above the last one this device accepted from that key.</summary>
    Replay,

    /// <summary>Parsed and verified but unusable (file hashes, labels, a head the engine cannot load).</summary>
    Invalid,
}
