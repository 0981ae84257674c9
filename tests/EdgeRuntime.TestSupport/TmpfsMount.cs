using System.Diagnostics;

namespace EdgeRuntime.TestSupport;

/// <summary>A small tmpfs mounted on a directory (root only), to run out of real disk space; unmounted on dispose.</summary>
public sealed class TmpfsMount : IDisposable
{
    private TmpfsMount(string path) => Path = path;

    /// <summary>The mount point.</summary>
    public string Path { get; }

    /// <summary>Mounts a tmpfs of <paramref name="size"/> (e.g. "256k") on <paramref name="directory"/>; null with the reason when not permitted.</summary>
    public static TmpfsMount? TryMount(string directory, string size, out string? failure)
    {
        if (!OperatingSystem.IsLinux())
        {
            failure = "tmpfs needs Linux";
            return null;
        }

        var (code, output) = Run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", directory);
        failure = code == 0 ? null : $"mount exited with {code}: {output.Trim()}";
        return code == 0 ? new TmpfsMount(directory) : null;
    }

    public void Dispose() => Run("umount", Path);

    private static (int Code, string Output) Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        try
        {
            using var process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, ex.Message);
        }
    }
}
