namespace EdgeRuntime.Heads;

/// <summary>Result of <see cref="HeadRegistry.ResolveActive"/>: the head to run and whether it is not the active one.</summary>
public sealed class HeadResolution
{
    internal HeadResolution(int? activeVersion, LoadedHead? head, IReadOnlyList<CorruptHeadException> refused)
    {
        ActiveVersion = activeVersion;
        Head = head;
        Refused = refused;
    }

    /// <summary>The version marked active; null when none was ever activated.</summary>
    public int? ActiveVersion { get; }

    /// <summary>The verified head to run; null when nothing is active or no version in the activation history is valid.</summary>
    public LoadedHead? Head { get; }

    /// <summary>True when <see cref="Head"/> is an earlier version because the active one was refused.</summary>
    public bool FellBack => Head is not null && Head.Version != ActiveVersion;

    /// <summary>Versions refused on the way, with path and reason, newest first.</summary>
    public IReadOnlyList<CorruptHeadException> Refused { get; }
}
