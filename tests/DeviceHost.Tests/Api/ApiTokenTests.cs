using System.Runtime.Versioning;
using DeviceHost.Api;
using EdgeRuntime.Storage;
using EdgeRuntime.TestSupport;

namespace DeviceHost.Tests.Api;

/// <summary>The token file appears whole or not at all; before, a crash during its creation left an empty file every later start refused.</summary>
[SupportedOSPlatform("linux")]
public sealed class ApiTokenTests : IDisposable
{
    private readonly TestDirectory _dir = new("api-token");

    [Fact]
    public void A_leftover_of_an_interrupted_creation_is_not_the_token_and_a_complete_one_is_created_with_mode_0640()
    {
        var path = _dir.Combine("api-token");
        File.WriteAllBytes(AtomicFile.TempPath(path), []);

        var token = ApiToken.LoadOrCreate(path);

        Assert.Equal(65, new FileInfo(path).Length);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(path));
        Assert.True(token.Accepts("Bearer " + File.ReadAllText(path).Trim()));
        Assert.Equal(File.ReadAllText(path), File.ReadAllText(ApiToken.LoadOrCreate(path).Path));
    }

    public void Dispose() => _dir.Dispose();
}
