using System.Runtime.Versioning;

namespace DeviceHost.Tests.Deploy;

// Unix file modes, owners and shell scripts: the deployment targets Linux only.
/// <summary>deploy/jetson/uninstall.sh run for real against a staging root prepared by install.sh.</summary>
[SupportedOSPlatform("linux")]
public sealed class UninstallScriptTests
{
    [Fact]
    public async Task Uninstall_keeps_settings_data_token_logs_and_native_builds()
    {
        using var staging = new StagingInstall();
        await staging.InstallSuccessfullyAsync();
        var token = File.ReadAllText(staging.InRoot("/var/lib/edgeruntime/api-token"));
        Directory.CreateDirectory(staging.InRoot("/opt/edgeruntime/native"));
        File.WriteAllText(staging.InRoot("/opt/edgeruntime/native/libonnxruntime.so"), "built on the device\n");
        File.WriteAllText(staging.InRoot("/var/lib/edgeruntime/samples.db"), "technician samples\n");

        var result = await staging.UninstallAsync();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.False(File.Exists(staging.InRoot("/etc/systemd/system/edgeruntime.service")));
        Assert.False(File.Exists(staging.InRoot("/etc/systemd/system/multi-user.target.wants/edgeruntime.service")));
        Assert.False(File.Exists(staging.InRoot("/opt/edgeruntime/edgeruntime")));
        Assert.False(Directory.Exists(staging.InRoot("/opt/edgeruntime/runtimes")));
        Assert.Equal(token, File.ReadAllText(staging.InRoot("/var/lib/edgeruntime/api-token")));
        Assert.True(File.Exists(staging.InRoot("/var/lib/edgeruntime/samples.db")));
        Assert.True(File.Exists(staging.InRoot("/etc/edgeruntime/appsettings.json")));
        Assert.True(Directory.Exists(staging.InRoot("/var/log/edgeruntime")));
        Assert.True(File.Exists(staging.InRoot("/opt/edgeruntime/native/libonnxruntime.so")));
    }

    [Fact]
    public async Task Reinstalling_after_an_uninstall_keeps_the_same_token()
    {
        using var staging = new StagingInstall();
        await staging.InstallSuccessfullyAsync();
        var token = File.ReadAllText(staging.InRoot("/var/lib/edgeruntime/api-token"));
        Assert.True((await staging.UninstallAsync()).ExitCode == 0);

        await staging.InstallSuccessfullyAsync();

        Assert.Equal(token, File.ReadAllText(staging.InRoot("/var/lib/edgeruntime/api-token")));
        Assert.True(File.Exists(staging.InRoot("/opt/edgeruntime/edgeruntime")));
    }

    [Fact]
    public async Task Purge_removes_data_settings_and_the_staging_account()
    {
        using var staging = new StagingInstall();
        staging.AddAccountFiles();
        await staging.InstallSuccessfullyAsync();

        var result = await staging.UninstallAsync("--purge");

        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var gone in new[] { "/var/lib/edgeruntime", "/var/log/edgeruntime", "/etc/edgeruntime", "/opt/edgeruntime", "/etc/sysusers.d/edgeruntime.conf" })
        {
            Assert.False(Path.Exists(staging.InRoot(gone)), $"{gone} survived --purge");
        }

        Assert.DoesNotContain(File.ReadAllLines(staging.InRoot("/etc/passwd")), l => l.StartsWith("edgeruntime:", StringComparison.Ordinal));
        Assert.DoesNotContain(File.ReadAllLines(staging.InRoot("/etc/group")), l => l.StartsWith("edgeruntime:", StringComparison.Ordinal));
        // Shared with JetPack's Jetson.GPIO: not ours to delete.
        Assert.Contains(File.ReadAllLines(staging.InRoot("/etc/group")), l => l.StartsWith("gpio:", StringComparison.Ordinal));
        Assert.Contains(File.ReadAllLines(staging.InRoot("/etc/passwd")), l => l.StartsWith("root:", StringComparison.Ordinal));
    }
}
