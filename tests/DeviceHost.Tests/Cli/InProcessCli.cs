using System.Runtime.Versioning;
using DeviceHost.Cli;

namespace DeviceHost.Tests.Cli;

/// <summary>Runs the real command tree in this process with stdout and stderr captured (tests of <see cref="CliCollection"/> only).</summary>
[SupportedOSPlatform("linux")]
public static class InProcessCli
{
    public static async Task<CliRun> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var (oldOut, oldError) = (Console.Out, Console.Error);
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            int code = await CliApplication.Create().RunAsync(args);
            return new CliRun(code, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldError);
        }
    }

    /// <summary>Runs and requires exit code 0, showing everything printed otherwise.</summary>
    public static async Task<CliRun> RunOkAsync(params string[] args)
    {
        var run = await RunAsync(args);
        Assert.True(run.ExitCode == 0, $"edgeruntime {string.Join(' ', args)}\n{run}");
        return run;
    }
}
