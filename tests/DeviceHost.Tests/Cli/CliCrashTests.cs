using System.Globalization;
using System.Runtime.Versioning;
using EdgeRuntime.Storage;
using EdgeRuntime.TestSupport;
using Xunit.Abstractions;

namespace DeviceHost.Tests.Cli;

/// <summary>
/// The real <c>edgeruntime</c> executable SIGKILLed in the middle of writing the data directory, several times in a
/// row: afterwards the store opens, every sample has its image and an embedding, and the active head loads and predicts.
/// </summary>
[Collection(CliCollection.Name)]
[SupportedOSPlatform("linux")]
public sealed class CliCrashTests(CliCrashFixture fixture, ITestOutputHelper output) : IClassFixture<CliCrashFixture>, IDisposable
{
    private readonly TestDirectory _dir = new("edgeruntime-cli-kill");

    [Fact]
    public async Task Killing_import_repeatedly_loses_nothing_and_leaves_no_half_stored_sample()
    {
        var data = _dir.Combine("data");
        int total = fixture.ImageCount;

        // Import reports the first half of its progress while embedding and the second half while storing: these
        // points fall while samples are being written.
        foreach (int killAt in new[] { total * 5 / 8, total * 3 / 4, total * 7 / 8 })
        {
            using (var child = ChildCli.Start("import", fixture.ImageFolder, "--data", data, "--config", fixture.ConfigFile, "--json"))
            {
                var seen = await child.WaitForLineAsync(line => ProgressAtLeast(line, "import", killAt));
                Report(child, seen);
            }

            output.WriteLine("  " + DataDirectoryCheck.AssertConsistent(fixture, data, $"import killed at {killAt}/{total}"));
        }

        var resumed = (await InProcessCli.RunOkAsync("import", fixture.ImageFolder, "--data", data, "--config", fixture.ConfigFile, "--json")).Json();
        Assert.Equal(total, resumed.GetProperty("added").GetInt32() + resumed.GetProperty("duplicates").GetInt32());
        Assert.Equal(total, DataDirectoryCheck.AssertConsistent(fixture, data, "after the final import").Samples);
    }

    [Fact]
    public async Task Killing_training_repeatedly_keeps_the_samples_and_a_working_active_head()
    {
        var data = fixture.CopyTemplate(_dir.Combine("data"));
        int epochs = CliTestConfig.LongEpochs;

        await KillTrainingAt(data, 1);
        var afterFirst = DataDirectoryCheck.AssertConsistent(fixture, data, "first training killed");
        output.WriteLine("  " + afterFirst);
        Assert.Equal(fixture.ImageCount, afterFirst.Samples);

        await InProcessCli.RunOkAsync("train", "--data", data, "--config", fixture.ConfigFile, "--json");
        Assert.NotNull(DataDirectoryCheck.AssertConsistent(fixture, data, "after a completed training").ActiveVersion);

        // --force: had these runs finished they would store and activate a new head; the last one is killed when its
        // final epoch is reported, just before the head is written.
        foreach (int killAt in new[] { epochs / 2, epochs })
        {
            await KillTrainingAt(data, killAt, "--force");
            var state = DataDirectoryCheck.AssertConsistent(fixture, data, $"training killed at epoch {killAt}");
            output.WriteLine("  " + state);
            Assert.Equal(fixture.ImageCount, state.Samples);
            Assert.NotNull(state.ActiveVersion);
        }
    }

    [Fact]
    public async Task Killing_heads_activate_repeatedly_leaves_one_valid_active_head()
    {
        var data = fixture.CopyTemplate(_dir.Combine("data"));
        await InProcessCli.RunOkAsync("train", "--data", data, "--config", fixture.ConfigFile, "--json");
        await InProcessCli.RunOkAsync("train", "--force", "--data", data, "--config", fixture.ConfigFile, "--json");

        // Kill points in the order the child reaches them (its verbose log on stderr): while loading the backbone,
        // once it is loaded (the workspace then opens and the switch is written within milliseconds), and right
        // after the switch is committed.
        string[] killOn = [" runs on ", " loaded on ", " is now active "];
        for (int round = 0; round < killOn.Length; round++)
        {
            int? before = DataDirectoryCheck.AssertConsistent(fixture, data, "before activation").ActiveVersion;
            int target = before == 2 ? 1 : 2;
            using (var child = ChildCli.Start("heads", "activate", target.ToString(CultureInfo.InvariantCulture), "-v", "--data", data, "--config", fixture.ConfigFile))
            {
                var seen = await child.WaitForLineAsync(line => line.Contains(killOn[round], StringComparison.Ordinal));
                Report(child, seen);
            }

            var state = DataDirectoryCheck.AssertConsistent(fixture, data, $"activation of v{target} killed on '{killOn[round]}'");
            output.WriteLine($"  v{before} -> v{target}: {state}");
            Assert.True(state.ActiveVersion == before || state.ActiveVersion == target, $"active v{state.ActiveVersion}, was v{before}, activating v{target}");
        }
    }

    [Fact]
    public async Task A_second_process_is_told_which_process_holds_the_data_directory()
    {
        var data = _dir.Combine("data");
        using var held = DataDirectoryLock.Acquire(data);

        using var child = ChildCli.Start("heads", "list", "--data", data, "--config", fixture.ConfigFile);
        var run = await child.WaitForExitAsync();

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"is locked by process {Environment.ProcessId}", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\n   at ", run.Stdout, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    private async Task KillTrainingAt(string data, int epoch, params string[] extra)
    {
        using var child = ChildCli.Start(["train", "--data", data, "--config", fixture.ConfigFile, "--json", .. extra]);
        Report(child, await child.WaitForLineAsync(line => ProgressAtLeast(line, "train", epoch)));
    }

    /// <summary>Kills the child and says where it was, so a run shows which points the kills really hit.</summary>
    private void Report(ChildCli child, string? seen)
    {
        bool killed = child.Kill();
        var last = child.Output.Split('\n').LastOrDefault(l => l.Length > 0) ?? "";
        output.WriteLine(killed
            ? $"killed after '{seen}'; last line '{last}'"
            : $"exited by itself before the kill point ('{seen}'); last line '{last}'");
    }

    /// <summary>True for a progress line "label: done/total ..." with done at least <paramref name="done"/>.</summary>
    internal static bool ProgressAtLeast(string line, string label, int done)
    {
        if (!line.StartsWith(label + ": ", StringComparison.Ordinal))
        {
            return false;
        }

        var count = line[(label.Length + 2)..].Split('/')[0];
        return int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= done;
    }
}
