using System.Diagnostics;
using System.Globalization;
using EdgeRuntime.Storage;
using EdgeRuntime.TestSupport;

namespace EdgeRuntime.Tests.Storage;

public sealed class DataDirectoryLockTests
{
    [Fact]
    public void Another_process_cannot_take_the_lock_while_it_is_held_and_can_after_release()
    {
        using var dir = new TestDirectory();
        var held = DataDirectoryLock.Acquire(dir.Path);

        // flock(1) uses flock(2), the same advisory lock .NET takes for FileShare.None: exit code 1 means refused.
        Assert.Equal(1, RunFlockProbe(held.LockFilePath));

        held.Dispose();
        Assert.Equal(0, RunFlockProbe(held.LockFilePath));
    }

    [Fact]
    public void A_second_holder_in_the_same_process_is_refused_naming_the_directory_and_this_pid()
    {
        using var dir = new TestDirectory();
        using var held = DataDirectoryLock.Acquire(dir.Path);

        var ex = Assert.Throws<DataDirectoryLockedException>(() => DataDirectoryLock.Acquire(dir.Path));

        Assert.Contains(dir.Path, ex.Message, StringComparison.Ordinal);
        Assert.Equal(Environment.ProcessId, ex.HolderProcessId);
        Assert.Contains(Environment.ProcessId.ToString(CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lock_held_by_another_process_is_refused_with_that_process_pid_and_taken_once_it_exits()
    {
        using var dir = new TestDirectory();
        var lockFile = Path.Combine(dir.Path, DataDirectoryLock.FileName);

        // The child holds flock on the file, records its shell's PID in it like a real holder does, says so on
        // stdout, and waits for its stdin to close.
        var start = new ProcessStartInfo("flock")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-n", lockFile, "sh", "-c", "echo $$ > \"$0\"; echo $$; read _ || true", lockFile })
        {
            start.ArgumentList.Add(arg);
        }

        using var child = Process.Start(start)!;
        var childPid = int.Parse(child.StandardOutput.ReadLine()!, CultureInfo.InvariantCulture);

        var ex = Assert.Throws<DataDirectoryLockedException>(() => DataDirectoryLock.Acquire(dir.Path));
        Assert.Equal(childPid, ex.HolderProcessId);
        Assert.Contains(dir.Path, ex.Message, StringComparison.Ordinal);

        child.StandardInput.Close();
        child.WaitForExit();
        Assert.Equal(0, child.ExitCode);

        using var mine = DataDirectoryLock.Acquire(dir.Path);

        // .NET cannot read a file another descriptor holds exclusively, hence the lock-free reader.
        Assert.Equal(Environment.ProcessId.ToString(CultureInfo.InvariantCulture), PosixFile.TryReadPrefixUnlocked(lockFile, 32)?.Trim());
    }

    private static int RunFlockProbe(string lockFile)
    {
        var start = new ProcessStartInfo("flock") { UseShellExecute = false };
        foreach (var arg in new[] { "-n", lockFile, "true" })
        {
            start.ArgumentList.Add(arg);
        }

        using var probe = Process.Start(start)!;
        probe.WaitForExit();
        return probe.ExitCode;
    }
}
