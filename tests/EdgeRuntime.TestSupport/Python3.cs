using System.Diagnostics;

namespace EdgeRuntime.TestSupport;

/// <summary>
/// Runs Debian's <c>/usr/bin/python3</c>: the reader users load our files with (numpy for .npy, from python3-numpy), so
/// a format test proves what they will see. The Debian path, not PATH's first python3: a pyenv or virtualenv
/// interpreter does not see Debian's packages. Fails with the package to install when python3 or numpy is missing,
/// never skips.
/// </summary>
public static class Python3
{
    public const string Interpreter = "/usr/bin/python3";

    // Not a timing assertion: only a guard so a hung interpreter fails the test instead of hanging CI.
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(2);

    /// <summary>Runs <c>python3 -c script args...</c> and returns its standard output.</summary>
    /// <exception cref="InvalidOperationException">python3 is missing, the script failed (its stderr is in the message) or it hung.</exception>
    public static string Run(string script, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(script);
        var start = new ProcessStartInfo(Interpreter)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            ArgumentList = { "-c", script },
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("python3 could not be started.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"{Interpreter} is not installed: run scripts/install-deps.sh test (Debian packages python3, python3-numpy).", ex);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(HangGuard))
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"python3 did not finish within {HangGuard}.");
            }

            if (process.ExitCode != 0)
            {
                var error = stderr.GetAwaiter().GetResult();
                var hint = error.Contains("No module named 'numpy'", StringComparison.Ordinal) ? " Install Debian's python3-numpy (scripts/install-deps.sh test)." : "";
                throw new InvalidOperationException($"python3 exited with {process.ExitCode}:{hint}\n{error}");
            }

            return stdout.GetAwaiter().GetResult();
        }
    }
}
