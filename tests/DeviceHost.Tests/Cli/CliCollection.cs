namespace DeviceHost.Tests.Cli;

/// <summary>
/// CLI tests swap Console.Out/Console.Error (process-wide) and load the backbone; they must not run alongside each
/// other.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CliCollection
{
    public const string Name = "Command line";
}
