using System.Runtime.Versioning;
using System.Text.RegularExpressions;

namespace DeviceHost.Tests.Deploy;

// Unix file modes, owners and shell scripts: the deployment targets Linux only.
/// <summary>deploy/jetson/install.sh run for real against a temporary staging root and a fake publish directory.</summary>
[SupportedOSPlatform("linux")]
public sealed class InstallScriptTests
{
    private static readonly Regex TokenFormat = new("^[0-9a-f]{64}\n$", RegexOptions.CultureInvariant);

    [Fact]
    public async Task Files_land_in_the_staging_root_with_their_modes()
    {
        using var staging = new StagingInstall();

        await staging.InstallSuccessfullyAsync();

        Assert.Equal("755", FileTreeSnapshot.Mode(staging.InRoot("/opt/edgeruntime/edgeruntime")));
        Assert.Equal("644", FileTreeSnapshot.Mode(staging.InRoot("/opt/edgeruntime/edgeruntime.dll")));
        Assert.Equal("644", FileTreeSnapshot.Mode(staging.InRoot("/opt/edgeruntime/runtimes/linux-arm64/native/libfake.so")));
        Assert.Equal("750", FileTreeSnapshot.Mode(staging.InRoot("/var/lib/edgeruntime")));
        Assert.Equal("750", FileTreeSnapshot.Mode(staging.InRoot("/var/log/edgeruntime")));
        Assert.Equal("644", FileTreeSnapshot.Mode(staging.InRoot("/etc/edgeruntime/appsettings.json")));
        Assert.Equal("644", FileTreeSnapshot.Mode(staging.InRoot("/etc/systemd/system/edgeruntime.service")));
        Assert.Equal("644", FileTreeSnapshot.Mode(staging.InRoot("/etc/sysusers.d/edgeruntime.conf")));
        Assert.Equal("644", FileTreeSnapshot.Mode(staging.InRoot("/etc/udev/rules.d/60-edgeruntime-gpio.rules")));
        Assert.Equal(
            File.ReadAllText(DeployFiles.Jetson("edgeruntime.service")),
            File.ReadAllText(staging.InRoot("/etc/systemd/system/edgeruntime.service")));
        Assert.Equal(
            File.ReadAllText(DeployFiles.Jetson("appsettings.jetson.json")),
            File.ReadAllText(staging.InRoot("/etc/edgeruntime/appsettings.json")));
        var fake = await Tool.RunAsync(staging.InRoot("/opt/edgeruntime/edgeruntime"), ["run"]);
        Assert.Equal("fake edgeruntime run\n", fake.StandardOutput);
    }

    [Fact]
    public async Task The_api_token_is_64_hex_characters_readable_by_owner_and_group_only()
    {
        using var staging = new StagingInstall();

        await staging.InstallSuccessfullyAsync();

        var token = staging.InRoot("/var/lib/edgeruntime/api-token");
        Assert.Equal("640", FileTreeSnapshot.Mode(token));
        Assert.Matches(TokenFormat, File.ReadAllText(token));
    }

    [Fact]
    public async Task Two_installs_generate_different_tokens()
    {
        using var first = new StagingInstall();
        using var second = new StagingInstall();

        await first.InstallSuccessfullyAsync();
        await second.InstallSuccessfullyAsync();

        Assert.NotEqual(
            File.ReadAllText(first.InRoot("/var/lib/edgeruntime/api-token")),
            File.ReadAllText(second.InRoot("/var/lib/edgeruntime/api-token")));
    }

    [Fact]
    public async Task A_second_install_changes_nothing_and_keeps_the_token()
    {
        using var staging = new StagingInstall();
        await staging.InstallSuccessfullyAsync();
        var token = File.ReadAllText(staging.InRoot("/var/lib/edgeruntime/api-token"));
        var before = await FileTreeSnapshot.TakeAsync(staging.Root);

        var again = await staging.InstallSuccessfullyAsync();

        Assert.Equal(before, await FileTreeSnapshot.TakeAsync(staging.Root));
        Assert.Equal(token, File.ReadAllText(staging.InRoot("/var/lib/edgeruntime/api-token")));
        Assert.Contains("install.sh: 0 change(s)", again.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_the_service_already_created_is_never_replaced()
    {
        using var staging = new StagingInstall();
        Directory.CreateDirectory(staging.InRoot("/var/lib/edgeruntime"));
        const string existing = "created-by-the-service-at-first-run\n";
        File.WriteAllText(staging.InRoot("/var/lib/edgeruntime/api-token"), existing);

        await staging.InstallSuccessfullyAsync();

        Assert.Equal(existing, File.ReadAllText(staging.InRoot("/var/lib/edgeruntime/api-token")));
        Assert.Equal("640", FileTreeSnapshot.Mode(staging.InRoot("/var/lib/edgeruntime/api-token")));
    }

    [Fact]
    public async Task Edited_appsettings_survive_a_reinstall()
    {
        using var staging = new StagingInstall();
        await staging.InstallSuccessfullyAsync();
        var settings = staging.InRoot("/etc/edgeruntime/appsettings.json");
        const string edited = "{ \"Execution\": { \"NativeLibraryPath\": \"/opt/edgeruntime/native/libonnxruntime.so\" } }\n";
        File.WriteAllText(settings, edited);

        await staging.InstallSuccessfullyAsync();

        Assert.Equal(edited, File.ReadAllText(settings));
    }

    [Fact]
    public async Task A_new_release_replaces_only_the_files_that_changed()
    {
        using var staging = new StagingInstall();
        await staging.InstallSuccessfullyAsync();
        var before = await FileTreeSnapshot.TakeAsync(staging.Root);
        File.WriteAllText(Path.Combine(staging.PublishDirectory, "edgeruntime.dll"), "managed payload v2\n");

        var result = await staging.InstallSuccessfullyAsync();

        Assert.Equal("managed payload v2\n", File.ReadAllText(staging.InRoot("/opt/edgeruntime/edgeruntime.dll")));
        var after = await FileTreeSnapshot.TakeAsync(staging.Root);
        var differing = before.Except(after, StringComparer.Ordinal).Select(l => l[..l.IndexOf('|', StringComparison.Ordinal)]).Order(StringComparer.Ordinal).ToList();
        // The directory's mtime moves too: the new file is renamed into it (never rewritten in place).
        Assert.Equal(["opt/edgeruntime", "opt/edgeruntime/edgeruntime.dll"], differing);
        Assert.Contains("install.sh: 1 change(s)", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_staging_root_with_account_files_gets_the_service_user_owning_the_state()
    {
        // chown to the image's service user needs root, as install.sh does on a device and CI runs the tests.
        Assert.True(Environment.UserName == "root", "This test must run as root (CI does) to chown into the staging root.");
        using var staging = new StagingInstall();
        staging.AddAccountFiles();

        await staging.InstallSuccessfullyAsync();

        var user = File.ReadAllLines(staging.InRoot("/etc/passwd")).Single(l => l.StartsWith("edgeruntime:", StringComparison.Ordinal)).Split(':');
        Assert.Equal("/var/lib/edgeruntime", user[5]);
        Assert.Equal("/usr/sbin/nologin", user[6]);
        Assert.Contains(File.ReadAllLines(staging.InRoot("/etc/group")), l => l.StartsWith("gpio:", StringComparison.Ordinal));
        // The image's ids, not the build host's: they come from the staging root's passwd.
        var owner = $"{user[2]}:{user[3]}";
        Assert.Equal(owner, await FileTreeSnapshot.OwnerAsync(staging.InRoot("/var/lib/edgeruntime")));
        Assert.Equal(owner, await FileTreeSnapshot.OwnerAsync(staging.InRoot("/var/log/edgeruntime")));
        Assert.Equal(owner, await FileTreeSnapshot.OwnerAsync(staging.InRoot("/var/lib/edgeruntime/api-token")));
        Assert.Equal("0:0", await FileTreeSnapshot.OwnerAsync(staging.InRoot("/opt/edgeruntime/edgeruntime")));

        var before = await FileTreeSnapshot.TakeAsync(staging.Root);
        var again = await staging.InstallSuccessfullyAsync();
        Assert.Equal(before, await FileTreeSnapshot.TakeAsync(staging.Root));
        Assert.Contains("install.sh: 0 change(s)", again.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_account_files_the_user_is_not_created_and_the_plan_is_printed()
    {
        using var staging = new StagingInstall();

        var result = await staging.InstallSuccessfullyAsync();

        Assert.False(File.Exists(staging.InRoot("/etc/passwd")));
        Assert.Contains("would run: systemd-sysusers --root", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_staging_install_is_enabled_by_the_wants_link_that_systemctl_would_create()
    {
        using var staging = new StagingInstall();

        await staging.InstallSuccessfullyAsync();

        var link = new FileInfo(staging.InRoot("/etc/systemd/system/multi-user.target.wants/edgeruntime.service"));
        Assert.Equal("/etc/systemd/system/edgeruntime.service", link.LinkTarget);
    }

    [Fact]
    public async Task Image_builds_can_leave_out_the_token_and_the_enable_link()
    {
        using var staging = new StagingInstall();

        await staging.InstallSuccessfullyAsync("--no-token", "--no-enable");

        Assert.False(File.Exists(staging.InRoot("/var/lib/edgeruntime/api-token")));
        Assert.False(File.Exists(staging.InRoot("/etc/systemd/system/multi-user.target.wants/edgeruntime.service")));
        Assert.True(File.Exists(staging.InRoot("/etc/systemd/system/edgeruntime.service")));
    }

    [Fact]
    public async Task A_publish_directory_without_the_executable_is_refused_before_anything_is_written()
    {
        using var staging = new StagingInstall();
        File.Delete(Path.Combine(staging.PublishDirectory, "edgeruntime"));

        var result = await staging.InstallAsync();

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("has no executable 'edgeruntime'", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(staging.Root));
    }

    [Fact]
    public async Task An_unknown_option_is_refused_with_its_name()
    {
        using var staging = new StagingInstall();

        var result = await staging.InstallAsync("--enable-everything");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("unknown argument '--enable-everything'", result.StandardError, StringComparison.Ordinal);
    }
}
