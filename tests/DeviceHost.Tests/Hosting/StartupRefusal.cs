using System.Runtime.Versioning;
using DeviceHost.Hosting;
using EdgeRuntime;
using EdgeRuntime.TestSupport;
using Microsoft.Extensions.Options;

namespace DeviceHost.Tests.Hosting;

/// <summary>Builds the device host on an empty data directory with settings that start-up must refuse.</summary>
[SupportedOSPlatform("linux")]
internal static class StartupRefusal
{
    /// <returns>The error start-up refused with: an options validation failure or an engine error, nothing else.</returns>
    public static Exception For(Dictionary<string, string?> settings)
    {
        using var data = new TestDirectory("startup-refusal");
        var error = Assert.ThrowsAny<Exception>(() => DeviceHostBuilder.Build(null, data.Path, settings));
        Assert.True(error is OptionsValidationException or EdgeRuntimeException, error.ToString());
        return error;
    }
}
