using System.Globalization;
using System.Runtime.Versioning;
using DeviceHost.Tests.Cli;
using EdgeRuntime.Samples;
using EdgeRuntime.TestSupport;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace DeviceHost.Tests.Reliability;

/// <summary>
/// The real <c>edgeruntime</c> SIGKILLed at random points of import, training and activation. Each round proves it
/// killed mid-work (the child was still running, and the state shows the work had not completed), then checks:
/// <c>PRAGMA integrity_check</c> is ok, every sample has its image and embedding, the active head loads and predicts,
/// and re-running the import neither loses nor doubles a sample. <c>EDGERUNTIME_KILL_ROUNDS</c> sets rounds per phase
/// (2 in CI, 20 for the long mode), <c>EDGERUNTIME_KILL_SEED</c> the seed.
/// </summary>
[Collection(CliCollection.Name)]
[SupportedOSPlatform("linux")]
public sealed class KillMatrixTests(CliCrashFixture fixture, ITestOutputHelper output) : IClassFixture<CliCrashFixture>, IDisposable
{
    private readonly TestDirectory _dir = new("edgeruntime-kill-matrix");

    private static int Rounds => int.TryParse(Environment.GetEnvironmentVariable("EDGERUNTIME_KILL_ROUNDS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 2;

    private static int Seed => int.TryParse(Environment.GetEnvironmentVariable("EDGERUNTIME_KILL_SEED"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 7;

    public static TheoryData<string> PhaseNames => [.. Phases.Select(p => p.Name)];

    /// <summary>The matrix: one entry per kind of work that writes the data directory.</summary>
    public static IReadOnlyList<KillPhase> Phases { get; } =
    [
        new KillPhase(
            "import",
            round => Task.CompletedTask,
            round => ["import", round.Fixture.ImageFolder, "--data", round.DataDirectory, "--config", round.Fixture.ConfigFile, "--json"],
            round =>
            {
                // A progress line follows each stored chunk of four (batch size 1 in the test configuration): kill
                // after one of them with at least one more chunk to embed and store.
                int total = round.Fixture.ImageCount;
                int at = round.Random.Next(1, total - 7);
                return (line => ProgressAtLeast(line, "import", at), $"import progress {at}/{total}");
            },
            round => Assert.True(round.After!.Samples < round.Fixture.ImageCount, $"import completed ({round.After.Samples} samples) before the kill")),
        new KillPhase(
            "training",
            async round =>
            {
                round.Fixture.CopyTemplate(round.DataDirectory);
                await InProcessCli.RunOkAsync("train", "--data", round.DataDirectory, "--config", round.Fixture.ConfigFile, "--json");
            },
            round => ["train", "--force", "--data", round.DataDirectory, "--config", round.Fixture.ConfigFile, "--json"],
            round =>
            {
                int epoch = round.Random.Next(1, CliTestConfig.LongEpochs - 5);
                return (line => ProgressAtLeast(line, "train", epoch), $"epoch {epoch}/{CliTestConfig.LongEpochs}");
            },
            round =>
            {
                // A forced run that finished would have stored and activated a new version.
                Assert.Equal(round.Before!.Heads, round.After!.Heads);
                Assert.Equal(round.Before.ActiveVersion, round.After.ActiveVersion);
            }),
        new KillPhase(
            "activation",
            async round =>
            {
                round.Fixture.CopyTemplate(round.DataDirectory);
                await InProcessCli.RunOkAsync("train", "--data", round.DataDirectory, "--config", round.Fixture.ConfigFile, "--json");
                await InProcessCli.RunOkAsync("train", "--force", "--data", round.DataDirectory, "--config", round.Fixture.ConfigFile, "--json");
                round.Target = 1;
            },
            round => ["heads", "activate", round.Target.ToString(CultureInfo.InvariantCulture), "-v", "--data", round.DataDirectory, "--config", round.Fixture.ConfigFile],
            round =>
            {
                // The backbone's session starting (its verbose log), well before the switch is committed. The later
                // "loaded on" line left only the head's load before the commit, and on a busy machine the activation
                // sometimes finished before the kill arrived, proving nothing about a crash mid-work.
                const string point = " runs on ";
                return (line => line.Contains(point, StringComparison.Ordinal), $"log '{point.Trim()}'");
            },
            round => Assert.Equal(round.Before!.ActiveVersion, round.After!.ActiveVersion)),
    ];

    [Theory]
    [MemberData(nameof(PhaseNames))]
    public async Task Sigkill_at_random_points_leaves_a_sound_store_and_a_working_head(string phaseName)
    {
        var phase = Phases.Single(p => p.Name == phaseName);
        var random = new Random(HashCode.Combine(Seed, phaseName.Length, phaseName[0]));
        for (int i = 0; i < Rounds; i++)
        {
            var round = new KillRound(fixture, _dir.Combine($"{phaseName}-{i}"), random, i);
            await phase.Prepare(round);
            round.Before = Directory.Exists(round.DataDirectory) ? DataDirectoryCheck.AssertConsistent(fixture, round.DataDirectory, "before") : null;
            var (match, point) = phase.KillLine(round);
            using (var child = ChildCli.Start(phase.Command(round)))
            {
                var seen = await child.WaitForLineAsync(match);
                bool killed = child.Kill();
                Assert.True(seen is not null && killed, $"{phaseName} round {i}: the child ended before the kill point ({point}):\n{child.Output}");
            }

            AssertIntegrity(round.DataDirectory, $"{phaseName} round {i}");
            round.After = DataDirectoryCheck.AssertConsistent(fixture, round.DataDirectory, $"{phaseName} round {i} killed at {point}");
            phase.ProveMidWork(round);
            AssertReimportLosesAndDoublesNothing(round.DataDirectory);
            output.WriteLine($"{phaseName} round {i}: killed at {point}; before {round.Before?.ToString() ?? "empty"}; after {round.After}");
        }
    }

    public void Dispose() => _dir.Dispose();

    private static void AssertIntegrity(string dataDirectory, string context)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, SampleStore.DatabaseFileName)};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        Assert.True(command.ExecuteScalar() as string == "ok", $"{context}: integrity_check failed");
    }

    private void AssertReimportLosesAndDoublesNothing(string dataDirectory)
    {
        using var workspace = fixture.Open(dataDirectory);
        var result = workspace.Import(fixture.ImageFolder);
        Assert.Empty(result.Failures);
        Assert.Equal(fixture.ImageCount, result.Added + result.Duplicates);
        Assert.Equal(fixture.ImageCount, workspace.ClassCounts().Sum(c => c.Total));
    }

    private static bool ProgressAtLeast(string line, string label, int done) => CliCrashTests.ProgressAtLeast(line, label, done);
}
