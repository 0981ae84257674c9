using System.Globalization;
using System.Runtime.Versioning;

namespace DeviceHost.Tests.Hosting;

/// <summary>
/// The host shared by every class of <see cref="DeviceHostCollection"/> that only reads or sends refused requests:
/// synthetic source at 10 fps, no samples, no head, a small upload limit so oversized uploads are cheap. Tests using
/// it must leave it that way; tests that calibrate start a host of their own.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class SharedHostFixture() : HostFixture(new Dictionary<string, string?>
{
    ["Api:MaxUploadBytes"] = MaxUploadBytes.ToString(CultureInfo.InvariantCulture),
})
{
    public const int MaxUploadBytes = 64 * 1024;
}
