namespace DeviceHost.Tests.Reliability;

/// <summary>
/// One phase of the kill matrix: how to prepare a data directory, which command to run, where (a line the child
/// prints) to SIGKILL it, and how the state afterwards proves the kill came before the work completed. New phases
/// (adaptation, quantization) are added to <see cref="KillMatrixTests.Phases"/> as one more of these.
/// </summary>
/// <param name="Name">Shown in test names and output.</param>
/// <param name="Prepare">Makes the round's data directory ready (e.g. copies samples, trains heads).</param>
/// <param name="Command">The <c>edgeruntime</c> arguments for this data directory and round.</param>
/// <param name="KillLine">For a random draw, the predicate of the line to kill on, and what it stands for.</param>
/// <param name="ProveMidWork">Given the state before and after, throws unless the work had not completed.</param>
public sealed record KillPhase(
    string Name,
    Func<KillRound, Task> Prepare,
    Func<KillRound, string[]> Command,
    Func<KillRound, (Func<string, bool> Match, string Point)> KillLine,
    Action<KillRound> ProveMidWork)
{
    public override string ToString() => Name;
}
