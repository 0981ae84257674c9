using System.Text.Json;
using System.Text.Json.Serialization;
using DeviceHost.Api;
using DeviceHost.Cli;

namespace DeviceHost.Tests.Api;

/// <summary>Reads an answer (/status, /heads) as its typed contract, refusing any field the record does not declare.</summary>
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
    public static DeviceStatus Read(JsonElement status) => Read<DeviceStatus>(status);

    /// <summary>The document as <typeparamref name="T"/>; throws when a field is unknown, missing or of the wrong type.</summary>
    public static T Read<T>(JsonElement document) =>
        document.Deserialize<T>(Strict) ?? throw new JsonException($"The answer read as {typeof(T).Name} is null.");
}
