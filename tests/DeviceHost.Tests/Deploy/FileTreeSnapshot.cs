using System.Runtime.Versioning;
using System.Security.Cryptography;

namespace DeviceHost.Tests.Deploy;

// Unix file modes, owners and shell scripts: the deployment targets Linux only.
/// <summary>
/// Everything observable about a directory tree: per entry its type, mode, owner, size, modification time
/// (nanoseconds), symlink target and content hash. Two equal snapshots mean nothing was touched.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class FileTreeSnapshot
{
    /// <summary>One line per entry, sorted by path.</summary>
    public static async Task<IReadOnlyList<string>> TakeAsync(string root)
    {
        var find = Tool.Require("find", "findutils");
        var result = await Tool.RunAsync(find, [root, "-mindepth", "1", "-printf", "%P|%y|%m|%U:%G|%s|%T@|%l\\n"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = new List<string>();
        foreach (var line in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var relative = line[..line.IndexOf('|', StringComparison.Ordinal)];
            var full = Path.Combine(root, relative);
            var hash = line.Split('|')[1] == "f" ? Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(full))) : "-";
            lines.Add($"{line}|{hash}");
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    /// <summary>Owner of a path as "uid:gid", read with stat(1).</summary>
    public static async Task<string> OwnerAsync(string path)
    {
        var stat = Tool.Require("stat", "coreutils");
        var result = await Tool.RunAsync(stat, ["-c", "%u:%g", path]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.StandardOutput.Trim();
    }

    /// <summary>Permission bits of a path as an octal string such as "750".</summary>
    public static string Mode(string path)
    {
        var mode = File.GetUnixFileMode(path);
        return Convert.ToString((int)mode, 8);
    }
}
