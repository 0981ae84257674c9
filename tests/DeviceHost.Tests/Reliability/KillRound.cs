using DeviceHost.Tests.Cli;

namespace DeviceHost.Tests.Reliability;

/// <summary>One kill: its data directory, its random draw, and the data-directory states before and after.</summary>
public sealed class KillRound(CliCrashFixture fixture, string dataDirectory, Random random, int index)
{
    public CliCrashFixture Fixture { get; } = fixture;

    public string DataDirectory { get; } = dataDirectory;

    public Random Random { get; } = random;

    public int Index { get; } = index;

    public DataDirectoryState? Before { get; set; }

    public DataDirectoryState? After { get; set; }

    /// <summary>Phase-specific value chosen in <see cref="KillPhase.Prepare"/> (e.g. the version to activate).</summary>
    public int Target { get; set; }
}
