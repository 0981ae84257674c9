using System.Runtime.Versioning;
using EdgeRuntime.TestSupport;

namespace DeviceHost.Tests.Deploy;

// Unix file modes, owners and shell scripts: the deployment targets Linux only.
/// <summary>
/// A temporary staging root plus a fake publish directory (a small shell script named edgeruntime and a few
/// payload files), against which the real install.sh and uninstall.sh run.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class StagingInstall : IDisposable
{
    private readonly TestDirectory _directory = new("edgeruntime-deploy");

    public StagingInstall()
    {
        Root = _directory.Combine("root");
        PublishDirectory = _directory.Combine("publish");
        ToolTrapDirectory = _directory.Combine("trap");
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Path.Combine(PublishDirectory, "runtimes", "linux-arm64", "native"));
        Directory.CreateDirectory(ToolTrapDirectory);

        var executable = Path.Combine(PublishDirectory, "edgeruntime");
        File.WriteAllText(executable, "#!/bin/sh\necho \"fake edgeruntime $*\"\n");
        File.SetUnixFileMode(executable, (UnixFileMode)Convert.ToInt32("755", 8));
        File.WriteAllText(Path.Combine(PublishDirectory, "edgeruntime.dll"), "managed payload v1\n");
        File.WriteAllText(Path.Combine(PublishDirectory, "runtimes", "linux-arm64", "native", "libfake.so"), "native payload\n");

        // Tripwires, not fakes: a staging install must never reach these tools, and if it does the run fails.
        foreach (var tool in new[] { "systemctl", "udevadm" })
        {
            var trap = Path.Combine(ToolTrapDirectory, tool);
            File.WriteAllText(trap, $"#!/bin/sh\necho \"{tool} must not run for a staging root: $*\" >&2\nexit 97\n");
            File.SetUnixFileMode(trap, (UnixFileMode)Convert.ToInt32("755", 8));
        }
    }

    /// <summary>The staging root passed as --root.</summary>
    public string Root { get; }

    /// <summary>The fake publish directory passed as --publish-dir.</summary>
    public string PublishDirectory { get; }

    private string ToolTrapDirectory { get; }

    /// <summary>A path inside the staging root, given as an absolute target path such as "/etc/edgeruntime".</summary>
    public string InRoot(string absolutePath) => Path.Combine(Root, absolutePath.TrimStart('/'));

    /// <summary>Gives the staging root minimal account files, as an image root file system has.</summary>
    public void AddAccountFiles()
    {
        Directory.CreateDirectory(InRoot("/etc"));
        File.WriteAllText(InRoot("/etc/passwd"), "root:x:0:0:root:/root:/bin/bash\n");
        File.WriteAllText(InRoot("/etc/group"), "root:x:0:\nvideo:x:44:\n");
    }

    /// <summary>Runs install.sh against the staging root and the fake publish directory.</summary>
    public Task<ToolResult> InstallAsync(params string[] extraArguments) =>
        RunScriptAsync("install.sh", ["--root", Root, "--publish-dir", PublishDirectory, .. extraArguments]);

    /// <summary>Runs uninstall.sh against the staging root.</summary>
    public Task<ToolResult> UninstallAsync(params string[] extraArguments) =>
        RunScriptAsync("uninstall.sh", ["--root", Root, .. extraArguments]);

    /// <summary>Runs install.sh and fails the test unless it succeeded.</summary>
    public async Task<ToolResult> InstallSuccessfullyAsync(params string[] extraArguments)
    {
        var result = await InstallAsync(extraArguments);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    public void Dispose() => _directory.Dispose();

    private Task<ToolResult> RunScriptAsync(string script, string[] arguments)
    {
        var bash = Tool.Require("bash", "bash");
        var path = $"{ToolTrapDirectory}:{Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin"}";
        return Tool.RunAsync(bash, [DeployFiles.Jetson(script), .. arguments], new Dictionary<string, string> { ["PATH"] = path });
    }
}
