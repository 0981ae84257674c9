using System.Diagnostics;
using DeviceHost.Cli;

namespace DeviceHost.Tests.Cli;

/// <summary>
/// The built <c>edgeruntime</c> running as a child process (<c>dotnet edgeruntime.dll ...</c>), its stdout and stderr
/// collected line by line so a test can wait for a progress line and then SIGKILL it. Owns the process.
/// </summary>
public sealed class ChildCli : IDisposable
{
    // A safety net so a wedged child fails the test instead of hanging the run; never an assertion about speed.
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    private readonly Process _process;
    private readonly Lock _sync = new();
    private readonly List<string> _lines = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string?> Found)> _waiters = [];
    private int _openStreams = 2;

    private ChildCli(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(CliApplication).Assembly.Location);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    /// <summary>Everything printed so far (stdout and stderr interleaved as received).</summary>
    public string Output
    {
        get
        {
            lock (_sync)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    public static ChildCli Start(params string[] args) => new(args);

    /// <summary>The first line (already printed or still to come) matching; null when the child ended without one.</summary>
    public async Task<string?> WaitForLineAsync(Func<string, bool> match)
    {
        TaskCompletionSource<string?> found;
        lock (_sync)
        {
            if (_lines.FirstOrDefault(match) is { } line)
            {
                return line;
            }

            if (_openStreams == 0)
            {
                return null;
            }

            found = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, found));
        }

        return await found.Task.WaitAsync(Patience);
    }

    /// <summary>SIGKILL (what <see cref="Process.Kill()"/> sends on Unix), then waits until the process is gone.</summary>
    /// <returns>False when it had already exited by itself.</returns>
    public bool Kill()
    {
        bool killed = false;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                killed = true;
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }

        _process.WaitForExit();
        return killed;
    }

    public async Task<CliRun> WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        await _process.WaitForExitAsync(timeout.Token);
        _process.WaitForExit(); // Drains the asynchronous readers.
        return new CliRun(_process.ExitCode, Output, "");
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        List<TaskCompletionSource<string?>> done = [];
        lock (_sync)
        {
            if (line is null)
            {
                if (--_openStreams == 0)
                {
                    done.AddRange(_waiters.Select(w => w.Found));
                    _waiters.Clear();
                }
            }
            else
            {
                _lines.Add(line);
                foreach (var waiter in _waiters.Where(w => w.Match(line)).ToList())
                {
                    _waiters.Remove(waiter);
                    waiter.Found.TrySetResult(line);
                }
            }
        }

        foreach (var waiter in done)
        {
            waiter.TrySetResult(null);
        }
    }
}
