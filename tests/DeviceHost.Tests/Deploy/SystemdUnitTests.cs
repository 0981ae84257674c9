using System.Globalization;
using System.Text.RegularExpressions;
using EdgeRuntime.TestSupport;

namespace DeviceHost.Tests.Deploy;

/// <summary>deploy/jetson/edgeruntime.service, checked by systemd's own parser and by reading its directives.</summary>
public sealed class SystemdUnitTests
{
    private const string InstalledExecutable = "/opt/edgeruntime/edgeruntime";

    // Warnings systemd-analyze may print about the HOST's own unit files it loads as dependencies
    // (network.target, multi-user.target and what they pull in). They say nothing about our unit, so
    // they, and only they, are ignored: a line must name a file in a system unit directory that is not ours.
    private static readonly Regex HostUnitWarning = new(
        @"^/(usr/)?lib/systemd/system/(?!edgeruntime)[^:/]+:\d+: ", RegexOptions.CultureInvariant);

    [Fact]
    public async Task Systemd_verifies_the_unit_without_any_complaint()
    {
        using var dir = new TestDirectory("edgeruntime-unit");
        var unit = WriteVerifiableCopy(dir, File.ReadAllText(DeployFiles.Jetson("edgeruntime.service")));

        var result = await VerifyAsync(unit);

        var complaints = Lines(result.Output).Where(line => !HostUnitWarning.IsMatch(line)).ToList();
        Assert.True(complaints.Count == 0 && result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task Verify_reports_a_misspelt_directive_so_a_clean_result_means_something()
    {
        using var dir = new TestDirectory("edgeruntime-unit");
        var broken = File.ReadAllText(DeployFiles.Jetson("edgeruntime.service"))
            .Replace("WatchdogSec=30", "WatchdogSecs=30", StringComparison.Ordinal);
        var unit = WriteVerifiableCopy(dir, broken);

        var result = await VerifyAsync(unit);

        Assert.Contains("Unknown key", result.Output, StringComparison.Ordinal);
        Assert.Contains("WatchdogSecs", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Any_unexpected_exit_restarts_the_service_within_a_start_rate_limit()
    {
        var file = UnitFile.Read(DeployFiles.Jetson("edgeruntime.service"));
        var unit = file.Section("Unit");

        Assert.Equal("always", UnitFile.Single(file.Section("Service"), "Restart"));
        Assert.Equal("15min", UnitFile.Single(unit, "StartLimitIntervalSec"));
        Assert.Equal("5", UnitFile.Single(unit, "StartLimitBurst"));
    }

    [Fact]
    public void The_service_is_a_notify_service_of_its_own_user_with_a_watchdog()
    {
        var service = UnitFile.Read(DeployFiles.Jetson("edgeruntime.service")).Section("Service");

        Assert.Equal("notify", UnitFile.Single(service, "Type"));
        Assert.Equal("main", UnitFile.Single(service, "NotifyAccess"));
        Assert.Equal("30", UnitFile.Single(service, "WatchdogSec"));
        Assert.Equal("20", UnitFile.Single(service, "TimeoutStopSec"));
        Assert.Equal("always", UnitFile.Single(service, "Restart"));
        Assert.Equal("edgeruntime", UnitFile.Single(service, "User"));
        Assert.Equal("edgeruntime", UnitFile.Single(service, "Group"));
        Assert.Equal("video gpio", UnitFile.Single(service, "SupplementaryGroups"));
        Assert.Equal($"{InstalledExecutable} run", UnitFile.Single(service, "ExecStart"));
        Assert.Contains("DOTNET_gcServer=0", service["Environment"]);
    }

    [Fact]
    public void The_sandbox_is_strict_except_for_the_data_and_log_directories()
    {
        var service = UnitFile.Read(DeployFiles.Jetson("edgeruntime.service")).Section("Service");

        Assert.Equal("yes", UnitFile.Single(service, "NoNewPrivileges"));
        Assert.Equal("strict", UnitFile.Single(service, "ProtectSystem"));
        Assert.Equal("yes", UnitFile.Single(service, "ProtectHome"));
        Assert.Equal("yes", UnitFile.Single(service, "PrivateTmp"));
        Assert.Equal("/var/lib/edgeruntime /var/log/edgeruntime", UnitFile.Single(service, "ReadWritePaths"));
        Assert.Equal("edgeruntime", UnitFile.Single(service, "StateDirectory"));
        Assert.Equal("edgeruntime", UnitFile.Single(service, "LogsDirectory"));
    }

    [Fact]
    public void Nothing_that_breaks_the_jit_or_the_gpu_is_enabled()
    {
        var service = UnitFile.Read(DeployFiles.Jetson("edgeruntime.service")).Section("Service");

        // The .NET JIT needs W+X pages; a device allow-list (also implied by ProtectClock on systemd 249)
        // would hide the Tegra GPU and camera nodes. See the comments in the unit.
        foreach (var key in new[] { "MemoryDenyWriteExecute", "DevicePolicy", "DeviceAllow", "PrivateDevices", "ProtectClock", "SystemCallFilter" })
        {
            Assert.False(service.ContainsKey(key), $"{key}= must not be set; see the comment in edgeruntime.service");
        }
    }

    [Fact]
    public async Task Systemd_sees_no_device_allow_list_in_the_effective_sandbox()
    {
        using var dir = new TestDirectory("edgeruntime-unit");
        var unit = WriteVerifiableCopy(dir, File.ReadAllText(DeployFiles.Jetson("edgeruntime.service")));
        var analyze = Tool.Require("systemd-analyze", "systemd");

        var result = await Tool.RunAsync(analyze, ["security", "--offline=yes", "--no-pager", unit]);

        // Implied restrictions count too, which reading the file cannot show.
        var deviceLine = Lines(result.Output).SingleOrDefault(l => l.Contains("DeviceAllow=", StringComparison.Ordinal));
        Assert.True(deviceLine is not null, result.ToString());
        Assert.Contains("no device ACL", deviceLine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_start_timeout_leaves_minutes_for_a_first_tensorrt_engine_build()
    {
        var service = UnitFile.Read(DeployFiles.Jetson("edgeruntime.service")).Section("Service");
        var analyze = Tool.Require("systemd-analyze", "systemd");

        var result = await Tool.RunAsync(analyze, ["timespan", UnitFile.Single(service, "TimeoutStartSec")]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var micro = Regex.Match(result.StandardOutput, @"(?:μs|us):\s*(\d+)", RegexOptions.CultureInvariant);
        Assert.True(micro.Success, result.ToString());
        var timeout = TimeSpan.FromMicroseconds(long.Parse(micro.Groups[1].Value, CultureInfo.InvariantCulture));
        Assert.InRange(timeout, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30));
    }

    private static async Task<ToolResult> VerifyAsync(string unit)
    {
        var analyze = Tool.Require("systemd-analyze", "systemd");
        return await Tool.RunAsync(analyze, ["verify", "--man=no", unit]);
    }

    /// <summary>
    /// A copy of the unit whose ExecStart runs /bin/true: verify rejects a unit whose executable does not exist,
    /// and /opt/edgeruntime/edgeruntime exists only on a device. Only the path is swapped; everything else is verbatim.
    /// </summary>
    private static string WriteVerifiableCopy(TestDirectory dir, string unitText)
    {
        Assert.Contains($"ExecStart={InstalledExecutable} ", unitText, StringComparison.Ordinal);
        var copy = unitText.Replace($"ExecStart={InstalledExecutable} ", "ExecStart=/bin/true ", StringComparison.Ordinal);
        var path = dir.Combine("edgeruntime.service");
        File.WriteAllText(path, copy);
        return path;
    }

    private static IEnumerable<string> Lines(string text) =>
        text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0);
}
