using System.Runtime.Versioning;

namespace DeviceHost.Tests.Deploy;

// Unix file modes, owners and shell scripts: the deployment targets Linux only.
/// <summary>Every shell script in deploy/jetson parses (bash -n), including the on-device build scripts no test runs.</summary>
[SupportedOSPlatform("linux")]
public sealed class ShellScriptSyntaxTests
{
    public static TheoryData<string> Scripts()
    {
        var data = new TheoryData<string>();
        foreach (var script in Directory.EnumerateFiles(DeployFiles.JetsonDirectory, "*.sh").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(script));
        }

        return data;
    }

    [Fact]
    public void The_deploy_directory_has_the_expected_scripts()
    {
        var names = Directory.EnumerateFiles(DeployFiles.JetsonDirectory, "*.sh").Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);

        foreach (var expected in new[] { "install.sh", "uninstall.sh", "build-onnxruntime.sh", "build-opencvsharp-native.sh" })
        {
            Assert.Contains(expected, names);
        }
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task The_script_parses_and_uses_strict_mode(string script)
    {
        var path = DeployFiles.Jetson(script);
        var bash = Tool.Require("bash", "bash");

        var result = await Tool.RunAsync(bash, ["-n", path]);

        Assert.True(result.ExitCode == 0 && result.Output.Length == 0, result.ToString());
        var text = File.ReadAllText(path);
        Assert.StartsWith("#!/usr/bin/env bash\n", text, StringComparison.Ordinal);
        Assert.Contains("\nset -euo pipefail\n", text, StringComparison.Ordinal);
        Assert.True(File.GetUnixFileMode(path).HasFlag(UnixFileMode.UserExecute), $"{script} is not executable");
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task The_script_explains_its_options(string script)
    {
        var bash = Tool.Require("bash", "bash");

        var result = await Tool.RunAsync(bash, [DeployFiles.Jetson(script), "--help"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("Usage: ", result.StandardOutput, StringComparison.Ordinal);
    }
}
