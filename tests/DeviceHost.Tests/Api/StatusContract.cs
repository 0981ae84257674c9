using System.Text.Json;
using System.Text.Json.Serialization;
using DeviceHost.Api;
using DeviceHost.Cli;

namespace DeviceHost.Tests.Api;

/// <summary>Reads a /status answer as the typed contract, refusing any field <see cref="DeviceStatus"/> does not declare.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class StatusContract
{
    private static readonly JsonSerializerOptions Strict = new(CliOutput.Json)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>The document as <see cref="DeviceStatus"/>; throws when a field is unknown, missing or of the wrong type.</summary>
    public static DeviceStatus Read(JsonElement status) =>
        status.Deserialize<DeviceStatus>(Strict) ?? throw new JsonException("/status answered null.");
}
